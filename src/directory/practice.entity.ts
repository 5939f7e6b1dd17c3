import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('practice')
export class Practice {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') communityId: string;
  @Column('text') name: string;
  @Column('text', { default: 'medical_practice' }) kind: string;
  @Column('text') address: string;
  @Column('varchar') communeCode: string;
  /** The address as the SAS reads it: one line (street), a 5-digit postcode, a city. */
  @Column('text') addressLine: string;
  @Column('varchar', { nullable: true }) postcode: string | null;
  @Column('text') city: string;
  @Column('varchar') phone: string;
  @Column('double precision') lat: number;
  @Column('double precision') lon: number;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

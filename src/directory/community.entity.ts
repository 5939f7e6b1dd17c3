import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('community')
export class Community {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text', { default: 'Europe/Paris' }) timezone: string;
  @Column({ type: 'varchar', array: true }) communeCodes: string[];
  /** The CPTS's FINESS number (9 digits, Luhn key): its identity for the SAS platform. */
  @Column('char', { length: 9, nullable: true }) finess: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

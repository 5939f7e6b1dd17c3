import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('practitioner')
export class Practitioner {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('char', { length: 11 }) rpps: string;
  @Column('text') firstName: string;
  @Column('text') lastName: string;
  @Column('text') profession: string;
  /** Ordinal specialty (TRE_R38), SM54 for a GP; null for professions without one. */
  @Column('varchar', { nullable: true }) specialty: string | null;
  @Column('uuid') practiceId: string;
  @Column('int', { default: 0 }) minPatientAgeMonths: number;
  @Column('text', { array: true }) modalities: string[];
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('practitioner')
export class Practitioner {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('char', { length: 11 }) rpps: string;
  @Column('text') firstName: string;
  @Column('text') lastName: string;
  @Column('text') profession: string;
  @Column('uuid') practiceId: string;
  @Column('int', { default: 0 }) minPatientAgeMonths: number;
  @Column('text', { array: true }) modalities: string[];
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

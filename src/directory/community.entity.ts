import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('community')
export class Community {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text', { default: 'Europe/Paris' }) timezone: string;
  @Column({ type: 'varchar', array: true }) communeCodes: string[];
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

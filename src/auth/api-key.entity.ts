import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Role } from './roles';

@Entity('api_key')
export class ApiKey {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text') role: Role;
  @Column('uuid', { nullable: true }) practiceId: string | null;
  @Column('char', { length: 64, select: false }) keyHash: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { nullable: true }) revokedAt: Date | null;
}

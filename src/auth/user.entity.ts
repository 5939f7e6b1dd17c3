import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Role } from './roles';

@Entity('app_user')
export class User {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') email: string;
  @Column('text', { select: false }) passwordHash: string;
  @Column('text') role: Role;
  @Column('uuid', { nullable: true }) practiceId: string | null;
  @Column('uuid', { nullable: true }) practitionerId: string | null;
  @Column('uuid', { nullable: true }) communityId: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

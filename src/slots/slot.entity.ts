import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Modality, SlotStatus } from './slot-rules';

@Entity('slot')
export class Slot {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') practitionerId: string;
  @Column('uuid') practiceId: string;
  @Column('uuid', { nullable: true }) templateId: string | null;
  @Column('timestamptz') startsAt: Date;
  @Column('timestamptz') endsAt: Date;
  @Column('text') modality: Modality;
  @Column('text') status: SlotStatus;
  @Column('uuid', { nullable: true }) holdToken: string | null;
  @Column('timestamptz', { nullable: true }) holdExpiresAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

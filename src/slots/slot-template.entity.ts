import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Modality } from './slot-rules';

@Entity('slot_template')
export class SlotTemplate {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') practitionerId: string;
  @Column('smallint', { array: true }) weekdays: number[];
  @Column('time') startTime: string;
  @Column('time') endTime: string;
  @Column('int') slotMinutes: number;
  @Column('text') modality: Modality;
  @Column('date') validFrom: string;
  @Column('date', { nullable: true }) validUntil: string | null;
  /** Set by DELETE /slot-templates/:id: an ended template generates nothing and is not listed. */
  @Column('timestamptz', { nullable: true }) endedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

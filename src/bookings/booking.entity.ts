import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type BookingStatus = 'confirmed' | 'cancelled' | 'attended' | 'no_show';
export type BookingChannel = 'secretary' | 'regulation' | 'matching' | 'coordination';

@Entity('booking')
export class Booking {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') slotId: string;
  @Column('text') status: BookingStatus;
  @Column('text') patientFirstName: string;
  @Column('text') patientLastName: string;
  @Column('date') patientBirthDate: string;
  @Column('varchar') patientPhone: string;
  @Column('text', { nullable: true }) patientEmail: string | null;
  @Column('varchar', { nullable: true }) patientCommuneCode: string | null;
  @Column('boolean', { nullable: true }) patientHasReferringGp: boolean | null;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('text') channel: BookingChannel;
  @Column('uuid', { nullable: true }) bookedByUserId: string | null;
  @Column('uuid', { nullable: true }) bookedByApiKeyId: string | null;
  @Column('text') bookedByRole: string;
  @Column('uuid', { nullable: true }) bookedByPracticeId: string | null;
  @Column('text', { nullable: true }) idempotencyKey: string | null;
  @Column('char', { length: 64, nullable: true }) requestHash: string | null;
  @Column('text', { nullable: true }) cancelReason: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz') statusChangedAt: Date;
  @Column('timestamptz', { nullable: true }) cancelledAt: Date | null;
  @Column('timestamptz', { nullable: true }) outcomeAt: Date | null;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('commune')
export class Commune {
  @PrimaryColumn({ type: 'varchar', length: 5 }) code: string;
  @Column('text') name: string;
  @Column({ type: 'varchar', length: 3, nullable: true }) department: string | null;
  @Column({ type: 'varchar', array: true, default: () => "'{}'" }) postcodes: string[];
  @Column({ type: 'double precision', nullable: true }) lat: number | null;
  @Column({ type: 'double precision', nullable: true }) lon: number | null;
}

import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from './roles';

/** Who read or changed patient data, and when (no patient data itself). */
@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  async record(principal: Principal, action: string, entity: string, entityId: string | null, em?: EntityManager): Promise<void> {
    await (em ?? this.dataSource).query(
      `INSERT INTO audit_event (actor_user_id, actor_api_key_id, actor_role, action, entity, entity_id) VALUES ($1, $2, $3, $4, $5, $6)`,
      [principal.kind === 'user' ? principal.id : null, principal.kind === 'api_key' ? principal.id : null, principal.role, action, entity, entityId],
    );
  }
}

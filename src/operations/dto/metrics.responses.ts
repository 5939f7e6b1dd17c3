import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** GET /metrics with Accept: application/json: prom-client's metrics as JSON (Registry.getMetricsAsJSON), for the OpenAPI document. */

export class MetricValue {
  @ApiProperty({ type: Number, example: 3 })
  value: number;

  @ApiProperty({ type: 'object', additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }] }, example: { status: 'pending' } })
  labels: Record<string, string | number>;

  @ApiPropertyOptional({ type: String, description: 'histogrammes et résumés : la série (`…_bucket`, `…_sum`, `…_count`)' })
  metricName?: string;

  @ApiPropertyOptional({ type: 'object', nullable: true, additionalProperties: true, description: 'histogrammes : l’exemplaire OpenMetrics de la valeur (null sans exemplaires)' })
  exemplar?: Record<string, unknown> | null;
}

export class MetricResponse {
  @ApiProperty({ type: String, example: 'snp_requests' })
  name: string;

  @ApiProperty({ type: String, example: 'SNP requests filed in the last 24 hours, by current status' })
  help: string;

  @ApiProperty({ enum: ['counter', 'gauge', 'histogram', 'summary'], example: 'gauge' })
  type: string;

  @ApiProperty({ type: [MetricValue] })
  values: MetricValue[];

  @ApiProperty({ type: String, example: 'sum' })
  aggregator: string;
}

import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../common/decorators/public.decorator';
import { LifecycleService } from '../infrastructure/lifecycle/lifecycle.service';
import { ErrorResponseDto } from '../common/openapi/error-response.dto';
import { RedisService } from '../infrastructure/redis/redis.service';

class LivenessDto {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
}

class ReadinessChecksDto {
  @ApiProperty({ enum: ['up', 'down'] }) postgres!: 'up' | 'down';
  @ApiProperty({ enum: ['up', 'down'] }) redis!: 'up' | 'down';
}

class ReadinessDto {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
  @ApiProperty({ type: ReadinessChecksDto }) checks!: ReadinessChecksDto;
}

/** The one error shape, plus which service is down. */
class NotReadyDto extends ErrorResponseDto {
  @ApiProperty({ enum: ['unavailable', 'shutting-down'] }) status!: 'unavailable' | 'shutting-down';
  @ApiPropertyOptional({ type: ReadinessChecksDto, description: 'absent while shutting down' }) checks?: ReadinessChecksDto;
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly redis: RedisService,
    private readonly lifecycle: LifecycleService,
  ) {}

  /** Liveness: the process answers. */
  @Get()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ type: LivenessDto, description: 'The process is alive' })
  alive(): LivenessDto {
    return { status: 'ok' };
  }

  /**
   * Readiness: PostgreSQL and Redis both answer within a second, else 503 with Retry-After.
   * Also 503 from the moment the node starts shutting down (SIGTERM), so no new traffic is sent here.
   */
  @Get('ready')
  @ApiOperation({ summary: 'Readiness: PostgreSQL and Redis both answer within a second, and the node is not shutting down' })
  @ApiOkResponse({ type: ReadinessDto, description: 'PostgreSQL and Redis are reachable' })
  @ApiServiceUnavailableResponse({
    type: NotReadyDto,
    description: 'A backing service is down, or the node is shutting down; retry after `Retry-After` seconds',
  })
  async ready(@Res({ passthrough: true }) res: Response) {
    if (this.lifecycle.draining) {
      res.status(HttpStatus.SERVICE_UNAVAILABLE).setHeader('Retry-After', '5');
      return { statusCode: 503, error: 'Service Unavailable', message: 'Not ready: shutting down', status: 'shutting-down' };
    }
    const [postgres, redis] = await Promise.all([this.pingPostgres(), this.redis.ping()]);
    const ok = postgres && redis;
    const checks: ReadinessChecksDto = { postgres: postgres ? 'up' : 'down', redis: redis ? 'up' : 'down' };
    if (ok) return { status: 'ok', checks } satisfies ReadinessDto;
    res.status(HttpStatus.SERVICE_UNAVAILABLE).setHeader('Retry-After', '5');
    const down = Object.entries(checks)
      .filter(([, v]) => v === 'down')
      .map(([k]) => k);
    return {
      statusCode: 503,
      error: 'Service Unavailable',
      message: `Not ready: ${down.join(' and ')} down`,
      status: 'unavailable',
      checks,
    } satisfies NotReadyDto;
  }

  private async pingPostgres(): Promise<boolean> {
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1000).unref());
    const query = this.dataSource
      .query('SELECT 1')
      .then(() => true)
      .catch(() => false);
    return Promise.race([query, timeout]);
  }
}

import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../common/decorators/public.decorator';
import { LifecycleService } from '../infrastructure/lifecycle/lifecycle.service';
import { RedisService } from '../infrastructure/redis/redis.service';

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
  @ApiOkResponse({ description: 'The process is alive' })
  alive(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Readiness: PostgreSQL and Redis both answer within a second, else 503 with Retry-After.
   * Also 503 from the moment the node starts shutting down (SIGTERM), so no new traffic is sent here.
   */
  @Get('ready')
  @ApiOkResponse({ description: 'PostgreSQL and Redis are reachable and the node is not shutting down' })
  @ApiServiceUnavailableResponse({ description: 'A backing service is down, or the node is shutting down (Retry-After set)' })
  async ready(@Res({ passthrough: true }) res: Response) {
    if (this.lifecycle.draining) {
      res.status(HttpStatus.SERVICE_UNAVAILABLE).setHeader('Retry-After', '5');
      return { statusCode: 503, error: 'Service Unavailable', message: 'Not ready: shutting down', status: 'shutting-down' };
    }
    const [postgres, redis] = await Promise.all([this.pingPostgres(), this.redis.ping()]);
    const ok = postgres && redis;
    const checks = { postgres: postgres ? 'up' : 'down', redis: redis ? 'up' : 'down' };
    if (ok) return { status: 'ok', checks };
    res.status(HttpStatus.SERVICE_UNAVAILABLE).setHeader('Retry-After', '5');
    const down = Object.entries(checks).filter(([, v]) => v === 'down').map(([k]) => k);
    return { statusCode: 503, error: 'Service Unavailable', message: `Not ready: ${down.join(' and ')} down`, status: 'unavailable', checks };
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

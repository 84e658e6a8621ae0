import { LoggerService } from '@nestjs/common';
import type pino from 'pino';

/** Nest's boot chatter (one line per module, route and socket handler): debug level in the pretty dev format. */
export const BOOT_CONTEXTS = ['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'WebSocketsController'];

/** Routes Nest's own log lines through pino, so they come out as JSON or as the pretty dev lines. */
export class PinoNestLogger implements LoggerService {
  private readonly quiet: Set<string>;

  /** `quietContexts`: contexts whose info lines are logged at debug (LOG_LEVEL=debug shows them). */
  constructor(
    private readonly logger: pino.Logger,
    quietContexts: string[] = [],
  ) {
    this.quiet = new Set(quietContexts);
  }

  private write(level: 'info' | 'warn' | 'error' | 'debug' | 'trace', message: unknown, rest: unknown[]): void {
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    if (level === 'info' && context && this.quiet.has(context)) level = 'debug';
    const trace = level === 'error' && typeof rest[0] === 'string' && rest.length > 1 ? rest[0] : undefined;
    this.logger[level]({ context, ...(trace ? { trace } : {}) }, String(message));
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
}

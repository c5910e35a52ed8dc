import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

/**
 * Nest's logger backed by pino: JSON lines in production, one readable line per event when
 * LOG_FORMAT=pretty (the local launcher), so four services can share one terminal.
 */
/** Nest's own start-up chatter: useful when debugging wiring, noise otherwise. */
const FRAMEWORK_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'Server', 'ClientProxy', 'NestMicroservice', 'NestApplication']);

export class PinoLogger implements LoggerService {
  readonly pino: Logger;

  constructor(service: string, level: string, format: 'pretty' | 'json') {
    this.pino = pino({
      name: service,
      level,
      base: undefined,
      transport: format === 'pretty'
        ? { target: 'pino-pretty', options: { colorize: !!process.stdout.isTTY, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname,name' , singleLine: true } }
        : undefined,
    });
  }

  log(message: unknown, context?: string) {
    this.write(context && FRAMEWORK_CONTEXTS.has(context) ? 'debug' : 'info', message, context);
  }
  error(message: unknown, trace?: string, context?: string) {
    this.write('error', trace && !String(message).includes(trace) ? `${message}\n${trace}` : message, context);
  }
  warn(message: unknown, context?: string) { this.write('warn', message, context); }
  debug(message: unknown, context?: string) { this.write('debug', message, context); }
  verbose(message: unknown, context?: string) { this.write('trace', message, context); }
  fatal(message: unknown, context?: string) { this.write('fatal', message, context); }

  private write(level: pino.Level, message: unknown, context?: string) {
    const text = message instanceof Error ? message.stack ?? message.message : typeof message === 'string' ? message : JSON.stringify(message);
    this.pino[level](context ? `[${context}] ${text}` : text);
  }
}

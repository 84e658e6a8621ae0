/** A problem that stops the boot; main.ts prints its message as one line and exits 1. */
export class BootError extends Error {
  override name = 'BootError';
}

export const HOW_TO_START = {
  postgres:
    'start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` (Debian), or `docker compose up -d postgres`',
  redis:
    "start it with `redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no`, or `docker compose up -d redis`",
};

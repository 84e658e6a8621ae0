import { ValueTransformer } from 'typeorm';

/** bigint ids travel as strings (JSON-safe); PostgreSQL returns them as strings already. */
export const bigintString: ValueTransformer = {
  to: (v: string | number | null | undefined) => (v === null || v === undefined ? v : String(v)),
  from: (v: string | null) => v,
};

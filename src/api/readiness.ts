// What /ready reports: each dependency the server needs before it can do its job.
export interface ReadinessCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

export type Readiness = () => Promise<ReadinessCheck[]>;

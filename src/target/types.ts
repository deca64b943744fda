// A target loadctl started: where it listens, and how to stop it.
export interface RunningTarget {
  baseUrl: string;
  stop(): Promise<void>;
}

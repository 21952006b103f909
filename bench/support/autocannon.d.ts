// The few parts of autocannon's API the benchmark uses (the package ships no types).
declare module 'autocannon' {
  interface Histogram { average: number; total: number; p50: number; p99: number }
  interface Result { requests: Histogram; latency: Histogram; non2xx: number; errors: number; timeouts: number }
  interface Request { method?: string; path?: string; body?: string; headers?: Record<string, string> }
  interface Options {
    url: string; connections?: number; duration?: number; overallRate?: number; amount?: number;
    requests?: (Request & { setupRequest?: (request: Request) => Request })[];
  }
  function autocannon(options: Options, done: (error: Error | null, result: Result) => void): { on(event: string, listener: (...args: unknown[]) => void): void };
  export default autocannon;
}

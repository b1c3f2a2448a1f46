import { cpus, loadavg, totalmem } from 'node:os';

/** Where a benchmark ran (printed in every header; numbers from other machines do not compare). */
export interface MachineInfo {
  readonly date: string;
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  /** 1-minute load average when the run started (the machine is shared). */
  readonly load1: number;
}

/** Describes this machine now. */
export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: list[0]?.model.trim() ?? 'unknown CPU',
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    load1: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

/** One header line: `node v20.20.2 | AMD EPYC x2 | 8 GiB | load 1.20 | 2025-...`. */
export function machineLine(info: MachineInfo = machineInfo()): string {
  return `node ${info.node} | ${info.cpu} x${info.cores} | ${info.memoryGiB} GiB | load ${info.load1.toFixed(2)} | ${info.date}`;
}

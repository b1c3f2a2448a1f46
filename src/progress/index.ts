export { progressView, PROGRESS_TICK_MS, type ProgressView, type ProgressViewOptions, type ProgressState } from './progressView';
export { progressMilestones, MILESTONE_STEP_PERCENT } from './progressMilestones';
export { formatProgressLine } from './formatProgressLine';
export { formatDuration } from './formatDuration';

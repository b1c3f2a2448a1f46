export { progressView, PROGRESS_TICK_MS, type ProgressView, type ProgressViewOptions, type ProgressState } from './progressView';
export { nextProgress } from './nextProgress';
export { startProgress, type ProgressTrack, type ProgressInput } from './progressTrack';
export { progressMilestones, MILESTONE_STEP_PERCENT } from './progressMilestones';
export { formatProgressLine } from './formatProgressLine';
export { formatDuration } from './formatDuration';

import { Initial1795350007000 } from './1795350007000-initial';

/** Every migration, oldest first. Listed explicitly so build output and tests load the same set. */
export const migrations = [Initial1795350007000];

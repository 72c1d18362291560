import { preference } from './preference.js';

/** How the request list shows when each request arrived: `2 min ago` or `14:03:22`. */
const TIME_FORMATS = ['absolute', 'relative'] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];

export const timeFormatPreference = preference<TimeFormat>(
  'umhooks.time-format',
  TIME_FORMATS,
  'absolute',
);

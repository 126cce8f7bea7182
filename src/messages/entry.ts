export interface MessageEntry {
  severity: 'error' | 'warning';
  /** Text with {placeholders} filled from the diagnostic's arguments. */
  message: string;
  hint?: string;
}

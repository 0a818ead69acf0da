/** Today's date where the association works (schedules run in America/Chicago). */
export function todayIn(timeZone = 'America/Chicago', now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

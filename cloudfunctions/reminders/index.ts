// Deployed entry of the `reminders` function (timer-triggered daily at 09:00 China time).
export { main } from '../../src/server/reminders'

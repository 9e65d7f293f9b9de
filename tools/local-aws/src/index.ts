export { startLocalAws, type LocalAws } from './local-aws';
export { LocalAwsOptionsError, type LocalAwsOptions } from './options';
export { Mailbox, type MailboxFilter, type MailboxMessage } from './mailbox';
export type { LogSink } from './logger';
export { md5OfAttributes, type MessageAttributeValue } from './sqs/md5';
export { AlarmBoard, type LocalAlarmState } from './alarm-board';

// Who may read or write a conversation: staff any; a kiosk only the conversations it started,
// so one kiosk can never read another customer's transcript by guessing an id.
import { AppError } from '../errors/index.ts';
import type { Principal } from '../auth/index.ts';
import type { ConversationRecord } from './records.ts';

export function assertConversationAccess(principal: Principal, conversation: ConversationRecord): void {
  if (principal.role !== 'kiosk') return;
  const deviceId = principal.subject.startsWith('device:') ? principal.subject.slice('device:'.length) : null;
  // Not FORBIDDEN: answering "not found" does not confirm the id exists.
  if (conversation.deviceId !== deviceId) throw new AppError('CONVERSATION_NOT_FOUND', `no conversation ${conversation.id}`);
}

import { createI18n } from '../../shared/i18n';
import { messages, type MessageKey } from './messages';

export const { I18nProvider, useI18n } = createI18n<MessageKey>(messages);

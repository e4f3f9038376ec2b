import nodemailer from 'nodemailer';

export interface EmailAttachment {
  readonly filename: string;
  readonly content: string | Buffer;
  readonly contentType: string;
  /** Set to reference it from HTML as <img src="cid:…">. */
  readonly cid?: string;
}

export interface EmailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  readonly attachments?: readonly EmailAttachment[];
}

export type EmailSender = (message: EmailMessage) => Promise<void>;
/** Posts a Slack-compatible JSON body ({ text, blocks }) to a webhook URL. */
export type WebhookSender = (url: string, payload: unknown) => Promise<void>;

export interface Senders {
  readonly email?: EmailSender;
  readonly webhook?: WebhookSender;
  /** Where webhook deliveries go; none configured → webhook deliveries are skipped. */
  readonly webhookUrl?: string;
}

/** SMTP through nodemailer, e.g. smtp://user:pass@mail.example:587 or smtps://… */
export function createSmtpSender(url: string, from: string): EmailSender {
  const transport = nodemailer.createTransport(url);
  return async (message) => {
    await transport.sendMail({
      from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      ...(message.html ? { html: message.html } : {}),
      attachments: (message.attachments ?? []).map((a) => ({
        filename: a.filename,
        content: a.content,
        contentType: a.contentType,
        ...(a.cid ? { cid: a.cid } : {}),
      })),
    });
  };
}

export function createWebhookSender(timeoutMs = 10_000): WebhookSender {
  return async (url, payload) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Drain the body so the connection is reused.
    const body = await response.text().catch(() => '');
    if (!response.ok) throw new Error(`webhook answered HTTP ${response.status}${body ? `: ${body.slice(0, 200)}` : ''}`);
  };
}

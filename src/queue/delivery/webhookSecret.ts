import { Webhook } from 'standardwebhooks';
import { ComfyOptionsError } from '../../errors';

/** The environment variable the CLI worker reads the signing secret from. */
export const WEBHOOK_SECRET_ENV = 'COMFYUI_RX_WEBHOOK_SECRET';

/**
 * The Standard Webhooks signer for a `whsec_<base64>` secret (24 to 64 random bytes, as the
 * specification recommends). The secret is never part of an error message.
 * @throws ComfyOptionsError when the secret is not of that form.
 * @example const signer = webhookSigner(process.env.COMFYUI_RX_WEBHOOK_SECRET!);
 */
export function webhookSigner(secret: string): Webhook {
  const match = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(secret);
  const bytes = match ? Buffer.from(match[1] as string, 'base64').length : 0;
  if (!match || bytes < 24 || bytes > 64) {
    throw new ComfyOptionsError('Invalid webhook secret: expected whsec_ followed by 24 to 64 bytes in base64 (e.g. `whsec_$(openssl rand -base64 32)`)');
  }
  return new Webhook(secret);
}

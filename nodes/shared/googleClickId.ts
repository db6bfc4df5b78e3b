/** Google Ads click ids, by their URL parameter names: gclid, and gbraid / wbraid for iOS app and web-to-app clicks. */
export const GOOGLE_CLICK_IDS = ['gclid', 'gbraid', 'wbraid'] as const;

export type GoogleClickType = (typeof GOOGLE_CLICK_IDS)[number];

/** Google's click ids run to about 100 characters; anything past this cap is not one. */
export const MAX_GOOGLE_CLICK_ID = 512;

/** URL-safe base64 characters, with at most two "=" of padding at the end (the parts share no character: linear). */
const GOOGLE_CLICK_ID = /^[A-Za-z0-9_-]+={0,2}$/;

/** A Google click id as written, trimmed; null when it is not one (longer than the cap, other characters). */
export function googleClickId(written: string): string | null {
	const value = written.trim();
	return value.length <= MAX_GOOGLE_CLICK_ID && GOOGLE_CLICK_ID.test(value) ? value : null;
}

/**
 * PHP-style nested query text ("id=7&fields[OPPORTUNITY]=1500.00"), which Bitrix24's REST reads: every key part and
 * value is percent-encoded, so an "&" or "=" inside a UTM value cannot break the command.
 */
export function bracketQuery(params: Record<string, unknown>): string {
	const pairs: string[] = [];
	const walk = (prefix: string, value: unknown) => {
		if (value === undefined || value === null) return;
		if (Array.isArray(value)) value.forEach((entry, index) => walk(`${prefix}[${index}]`, entry));
		else if (typeof value === 'object') for (const [key, entry] of Object.entries(value)) walk(`${prefix}[${encodeURIComponent(key)}]`, entry);
		else pairs.push(`${prefix}=${encodeURIComponent(String(value))}`);
	};
	for (const [key, value] of Object.entries(params)) walk(encodeURIComponent(key), value);
	return pairs.join('&');
}

const HOUR = 3_600_000;
const OFFSET_UNITS = ['days', 'h', 'min'];

/**
 * The rules of links through the person, in words: how long before or after the order the touch came, and whether
 * only identity stitching joins the two ("same person through identity stitching, 3 days before the order"). Equal
 * rules are one string: half a million links share a few hundred, built once each.
 */
export class PersonRules {
	private readonly byCode = new Map<number, string>();

	/** The rule of a touch `ms` before the order (negative: after it); `shared`: both hold the key that explains it. */
	rule(shared: boolean, ms: number): string {
		const code = offsetCode(ms) * 2 + (shared ? 1 : 0);
		let rule = this.byCode.get(code);
		if (rule === undefined) {
			rule = `${shared ? '' : 'same person through identity stitching, '}${describeOffset(Math.floor(code / 2))} the order`;
			this.byCode.set(code, rule);
		}
		return rule;
	}
}

/**
 * How long before or after the order a touch came, in the unit its words use (days from 48 h, hours from 1 h, else
 * minutes), as one number: (amount * 3 + unit) * 2 + (1 when after). Equal codes read the same.
 */
function offsetCode(ms: number): number {
	const hours = Math.abs(ms) / HOUR;
	const unit = hours >= 48 ? 0 : hours >= 1 ? 1 : 2;
	const amount = unit === 0 ? Math.round(hours / 24) : unit === 1 ? Math.round(hours) : Math.round(Math.abs(ms) / 60_000);
	return (amount * 3 + unit) * 2 + (ms >= 0 ? 0 : 1);
}

/** The words of an offset code: "3 days before", "40 min after". */
function describeOffset(code: number): string {
	const amount = Math.floor(code / 6);
	const unit = Math.floor(code / 2) % 3;
	return `${amount} ${OFFSET_UNITS[unit]} ${code % 2 === 1 ? 'after' : 'before'}`;
}

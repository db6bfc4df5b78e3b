import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { dashboardPage } from '../dashboardPage';
import { DEFAULT_FILE_NAME } from '../description';
import { runReport } from './input';

/**
 * Build Dashboard Page: one item with the page as text (`html`, for Respond to Webhook or an e-mail body) and as an
 * HTML file in the binary property "data" (for Write File, e-mail attachments, Telegram).
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const { figures, pairedItem, problems, options } = runReport(this);
	const { dashboard } = figures;
	const html = dashboardPage(dashboard);
	const fileName = String(options.fileName || DEFAULT_FILE_NAME);
	const data = await this.helpers.prepareBinaryData(Buffer.from(html, 'utf8'), fileName, 'text/html');
	const page: INodeExecutionData = {
		json: { title: dashboard.title, period: dashboard.period, previousPeriod: dashboard.previousPeriod, model: dashboard.model, fileName, html },
		binary: { data },
		pairedItem,
	};
	return [page, ...problems];
}

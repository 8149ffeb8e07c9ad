'use strict';

const answer = document.getElementById('answer');
const stats = document.getElementById('stats');
const errorBox = document.getElementById('error');
const modelSelect = document.getElementById('model');
const promptInput = document.getElementById('prompt');
let source = null;

function reset() {
	if (source) {
		source.close();
		source = null;
	}
	answer.textContent = '';
	stats.textContent = '';
	errorBox.hidden = true;
	errorBox.replaceChildren();
}

function showProblem(problem) {
	const title = document.createElement('strong');
	title.textContent = problem.title || 'Error';
	const detail = document.createElement('p');
	detail.textContent = problem.detail || '';
	errorBox.replaceChildren(title, detail);
	if (Array.isArray(problem.violations)) {
		const list = document.createElement('ul');
		for (const violation of problem.violations) {
			const item = document.createElement('li');
			item.textContent = violation.path + ': ' + violation.message + (violation.hint ? ' (' + violation.hint + ')' : '');
			list.appendChild(item);
		}
		errorBox.appendChild(list);
	}
	errorBox.hidden = false;
}

function showStats(summary) {
	const usage = summary.usage || {};
	const tokens = usage.total_tokens !== undefined
		? usage.prompt_tokens + ' prompt + ' + usage.completion_tokens + ' completion = ' + usage.total_tokens + ' tokens'
		: 'no usage reported';
	const first = summary.firstTokenMillis >= 0 ? ', first token after ' + summary.firstTokenMillis + ' ms' : '';
	stats.textContent = tokens + ' · ' + summary.latencyMillis + ' ms' + first + ' · ' + summary.model;
}

function stream(event) {
	event.preventDefault();
	reset();
	const params = new URLSearchParams({ prompt: promptInput.value });
	if (modelSelect.value) {
		params.set('model', modelSelect.value);
	}
	source = new EventSource('/chat/stream?' + params);
	source.addEventListener('token', (e) => { answer.textContent += JSON.parse(e.data).text; });
	source.addEventListener('usage', (e) => { showStats(JSON.parse(e.data)); source.close(); });
	source.addEventListener('problem', (e) => { showProblem(JSON.parse(e.data)); source.close(); });
	source.addEventListener('error', () => {
		if (source && source.readyState !== EventSource.CLOSED) {
			showProblem({ title: 'Connection to the sample app failed' });
			source.close();
		}
	});

}

async function sendWithN2() {
	reset();
	const response = await fetch('/chat', {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ prompt: promptInput.value, model: modelSelect.value || null, n: 2 })
	});
	const body = await response.json();
	if (response.ok) {
		answer.textContent = body.text;
	}
	else {
		showProblem(body);
	}
}

const batchStats = document.getElementById('batch-stats');
const batchResults = document.getElementById('batch-results');
const batchError = document.getElementById('batch-error');

function showBatchResult(result) {
	const item = document.createElement('li');
	item.dataset.customId = result.customId;
	const prompt = document.createElement('span');
	prompt.className = 'prompt';
	prompt.textContent = result.prompt;
	const customId = document.createElement('span');
	customId.className = 'custom-id';
	customId.textContent = result.customId;
	const text = document.createElement('div');
	text.className = result.error ? 'text failed' : 'text';
	text.textContent = result.error ? 'failed: ' + result.error : result.text;
	item.append(prompt, customId, text);
	batchResults.appendChild(item);
}

// One POST: the sample uploads the prompts as one batch, waits for it and answers
// every result, matched to its prompt by custom_id.
async function runBatch(event) {
	event.preventDefault();
	const prompts = document.getElementById('batch-prompts').value.split('\n').filter((line) => line.trim());
	batchResults.replaceChildren();
	batchError.hidden = true;
	batchStats.textContent = 'Running ' + prompts.length + ' prompts as one batch…';
	const response = await fetch('/batch', {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ prompts: prompts, model: modelSelect.value || null })
	});
	const body = await response.json();
	if (!response.ok) {
		batchStats.textContent = '';
		const title = document.createElement('strong');
		title.textContent = body.title || body.error || 'Batch failed';
		const detail = document.createElement('p');
		detail.textContent = body.detail || body.message || '';
		batchError.replaceChildren(title, detail);
		batchError.hidden = false;
		return;
	}
	body.results.forEach(showBatchResult);
	batchStats.textContent = 'Batch ' + body.batchId + ' ' + body.status + ' · ' + body.results.length
		+ ' results · ' + body.latencyMillis + ' ms';
	batchStats.dataset.status = body.status;
}

function describeWaits(name, waits) {
	return name + ': ' + waits.requests + ' requests paced, ' + waits.totalMillis + ' ms waited in all, longest '
		+ waits.maxMillis + ' ms';
}

// The kluster.rate-limit budgets of the chosen model: with the shared-limits profile they
// are read from Redis, so every instance's page shows the same budget left, and its own waits.
async function showBudget() {
	const params = modelSelect.value ? '?' + new URLSearchParams({ model: modelSelect.value }) : '';
	const budget = await (await fetch('/rate-limit' + params)).json();
	const section = document.getElementById('budget');
	if (!budget.paced) {
		section.hidden = true;
		return false;
	}
	const limits = budget.limits || {};
	const left = budget.left || {};
	const parts = [];
	if (limits.requestsPerMinute) {
		parts.push(left.requests + ' of ' + limits.requestsPerMinute + ' requests');
	}
	if (limits.tokensPerMinute) {
		parts.push(left.tokens + ' of ' + limits.tokensPerMinute + ' tokens');
	}
	document.getElementById('budget-left').textContent = 'Left this minute for ' + budget.model + ': '
		+ (parts.length ? parts.join(', ') : 'not limited') + ' (' + budget.store + ' budget; below zero while requests wait)';
	document.getElementById('budget-waits').textContent = 'This instance (port ' + budget.port + ') · '
		+ describeWaits('requests budget', budget.requestWaits) + ' · ' + describeWaits('tokens budget', budget.tokenWaits);
	section.hidden = false;
	return true;
}

async function init() {
	const info = await (await fetch('/info')).json();
	const mode = document.getElementById('mode');
	mode.textContent = info.standIn
		? 'Answers are canned: no KLUSTER_API_KEY is set, so the local kluster.ai stand-in answers. Set KLUSTER_API_KEY and restart to talk to kluster.ai.'
		: 'Connected to kluster.ai.';
	mode.hidden = false;
	const models = await (await fetch('/models')).json();
	for (const id of models) {
		const option = document.createElement('option');
		option.value = id;
		option.textContent = id;
		modelSelect.appendChild(option);
	}
	modelSelect.dataset.loaded = 'true';
	if (await showBudget()) {
		setInterval(showBudget, 1000);
	}
}

document.getElementById('ask').addEventListener('submit', stream);
document.getElementById('send-n2').addEventListener('click', sendWithN2);
document.getElementById('batch').addEventListener('submit', runBatch);
init();

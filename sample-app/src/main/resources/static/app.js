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
}

document.getElementById('ask').addEventListener('submit', stream);
document.getElementById('send-n2').addEventListener('click', sendWithN2);
init();

package main

// The scripts browsercheck evaluates in the notebook page (Jupyter Notebook 6's classic
// interface, whose API is window.Jupyter). Each is one expression; its value comes back
// as JSON.

// jsReady is true once the notebook is loaded and its kernel is connected and idle.
const jsReady = `(() => {
  const nb = window.Jupyter && Jupyter.notebook;
  return !!(nb && nb._fully_loaded && nb.kernel && nb.kernel.is_connected() &&
    document.querySelector('#kernel_indicator_icon.kernel_idle_icon'));
})()`

// jsNoAutosave turns the page's autosave off, so a run in the browser never writes
// the notebook's outputs into notebooks/, and says whether it is off.
const jsNoAutosave = `(() => {
  Jupyter.notebook.set_autosave_interval(0);
  return Jupyter.notebook.autosave_interval === 0 && !Jupyter.notebook.autosave_timer;
})()`

// jsTabs describes how the editor draws the first tab character of a code cell:
// the CSS background of its span (Jupyter's ipython theme draws an arrow there) and
// its width in pixels. tabs is 0 when no cell holds a tab.
const jsTabs = `(() => {
  const tab = document.querySelector('#notebook .CodeMirror span.cm-tab');
  if (!tab) { return {tabs: 0, background: '', width: 0}; }
  const style = getComputedStyle(tab);
  return {
    tabs: document.querySelectorAll('#notebook .CodeMirror span.cm-tab').length,
    background: style.backgroundImage,
    width: tab.getBoundingClientRect().width,
    tabSize: Jupyter.notebook.get_cells().find(c => c.cell_type === 'code').code_mirror.getOption('tabSize'),
  };
})()`

// jsState is the page's progress: the first cell queued or running (1-based, 0 when
// none), code cells queued or running ("*" prompt), code cells never run, whether the
// kernel is idle, and every labelling card of lib/active/activeui that still shows its
// buttons: its buttons, status line, cell (1-based), title (the clip it asks about) and how
// many audio players it holds (jsDeep: also inside shadow roots).
const jsState = `(() => {
  ` + jsDeep + `
  const cells = Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code');
  const all = Jupyter.notebook.get_cells();
  const cards = [...document.querySelectorAll('#notebook div[id^="dawnchorus_active_"]')]
    .filter(d => d.querySelector('button'))
    .map(d => ({
      id: d.id,
      buttons: [...d.querySelectorAll('button')].map(b => ({id: b.id, label: b.textContent.trim()})),
      status: ((document.getElementById(d.id + '_status') || {}).textContent || ''),
      cell: [...document.querySelectorAll('#notebook .cell')].indexOf(d.closest('.cell')) + 1,
      title: ((d.querySelector('b') || {}).textContent || '').trim(),
      audio: deepAudio(d).length,
    }));
  return {
    running: all.findIndex(c => c.cell_type === 'code' && c.input_prompt_number === '*') + 1,
    codeCells: cells.length,
    pending: cells.filter(c => c.input_prompt_number === '*').length,
    unrun: cells.filter(c => c.input_prompt_number === null || c.input_prompt_number === undefined).length,
    idle: !!document.querySelector('#kernel_indicator_icon.kernel_idle_icon'),
    cards: cards,
  };
})()`

// jsDeep defines, for the scripts that include it, deepAudio(root): every <audio> element
// under root, also those inside (open) shadow roots of its elements, in document order;
// and closestUp(e, test): the nearest of e and its ancestors, crossing out of shadow roots
// to their hosts, that passes test (null when none does).
const jsDeep = `const deepAudio = (root) => {
    const found = [];
    const walk = (r) => {
      for (const e of r.querySelectorAll('*')) {
        if (e.tagName === 'AUDIO') { found.push(e); }
        if (e.shadowRoot) { walk(e.shadowRoot); }
      }
    };
    if (root) { walk(root); }
    return found;
  };
  const closestUp = (e, test) => {
    for (let n = e; n; n = n.parentElement || (n.parentNode && n.parentNode.host) || null) {
      if (n.nodeType === 1 && test(n)) { return n; }
    }
    return null;
  };`

// jsAnswered lists, in page order, the answers the labelling cards show once answered:
// activeui replaces a card by one line, "<p>CLIP: <b>ANSWER</b></p>", and the clip's
// player (in a div keeping the card's element id), so this is the bold text of every
// output paragraph shaped that way.
const jsAnswered = `[...document.querySelectorAll('#notebook .output_area p > b')]
  .filter(b => b.parentElement.lastElementChild === b && /: $/.test(b.previousSibling ? b.previousSibling.textContent : ''))
  .map(b => b.textContent.trim().toLowerCase())`

// jsNotebook is the notebook as the page holds it, in nbformat JSON: what Jupyter would
// save, with every output.
const jsNotebook = `JSON.stringify(Jupyter.notebook.toJSON())`

// jsFigures lists, for each code cell whose outputs hold figures (an image, or HTML
// with an <svg> or <img>), how many its outputs hold and what the page drew for them:
// each top-level <svg> and <img> in the cell's output area, with its size in pixels and,
// for an <img>, whether the picture decoded.
const jsFigures = `(() => {
  const cells = Jupyter.notebook.get_cells();
  const out = [];
  cells.forEach((cell, i) => {
    if (cell.cell_type !== 'code') { return; }
    let want = 0;
    for (const o of cell.output_area.outputs) {
      const d = o.data || {};
      const html = [].concat(d['text/html'] || []).join('');
      if (Object.keys(d).some(k => k.startsWith('image/')) || /<svg|<img/.test(html)) { want++; }
    }
    const drawn = [...cell.output_area.element[0].querySelectorAll('svg, img')]
      .filter(e => !(e.parentElement && e.parentElement.closest('svg')))
      .map(e => {
        const r = e.getBoundingClientRect();
        const img = e.tagName.toLowerCase() === 'img';
        return {tag: e.tagName.toLowerCase(), width: r.width, height: r.height,
                decoded: !img || (e.complete && e.naturalWidth > 0)};
      });
    if (want > 0 || drawn.length > 0) { out.push({cell: i + 1, want: want, drawn: drawn}); }
  });
  return out;
})()`

// jsAudio waits (up to 15 s each) for every <audio> element in the outputs (also inside
// shadow roots, see jsDeep) to load its metadata, then plays each for 0.6 s: its cell
// (1-based), the labelling card it belongs to (the element id of the nearest
// dawnchorus_active_ ancestor, answered or not; "" when none), its duration, ready state,
// error code, and how far playing got (currentTime, s).
const jsAudio = `(async () => {
  ` + jsDeep + `
  const cells = [...document.querySelectorAll('#notebook .cell')];
  const players = deepAudio(document.getElementById('notebook'))
    .filter(a => closestUp(a, n => n.classList.contains('output_area')));
  const results = [];
  for (const a of players) {
    const cell = cells.indexOf(closestUp(a, n => n.classList.contains('cell'))) + 1;
    const card = closestUp(a, n => (n.id || '').startsWith('dawnchorus_active_'));
    await new Promise(resolve => {
      if (a.readyState >= 1 || a.error) { resolve(); return; }
      a.addEventListener('loadedmetadata', resolve, {once: true});
      a.addEventListener('error', resolve, {once: true});
      setTimeout(resolve, 15000);
    });
    let played = 0, playError = '';
    if (!a.error && a.readyState >= 1) {
      try {
        a.currentTime = 0;
        await a.play();
        await new Promise(r => setTimeout(r, 600));
        played = a.currentTime;
        a.pause();
      } catch (e) { playError = String(e); }
    }
    results.push({cell: cell, card: card ? card.id : '', duration: a.duration, readyState: a.readyState,
                  error: a.error ? a.error.code : 0, played: played, playError: playError});
  }
  return results;
})()`

// jsPageHeight is the height of the notebook's scrolling area (#site) and of its
// window onto it, in CSS pixels.
const jsPageHeight = `(() => { const s = document.getElementById('site'); return [s.scrollHeight, s.clientHeight]; })()`

// jsScrollTo scrolls the notebook to y (CSS pixels) and returns where it got.
const jsScrollTo = `((y) => { const s = document.getElementById('site'); s.scrollTop = y; return s.scrollTop; })`

// jsLeave lets the page go without asking to save (it is never saved, see jsNoAutosave).
const jsLeave = `(() => { Jupyter.notebook.set_dirty(false); window.onbeforeunload = null; return true; })()`

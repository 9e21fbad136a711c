"""Checks on matplotlib figures, independent of the analysis package: which text boxes the
renderer draws, and whether any two overlap."""
from matplotlib.text import Text


def drawn_texts(figure):
    """Every Text the figure draws, with its non-empty string: titles, axis labels, tick labels
    of the ticks in view, legend texts and titles, annotations, free texts."""
    figure.canvas.draw()
    tick_texts, drawn_ticks = set(), []
    for axes in figure.get_axes():
        for axis in (axes.xaxis, axes.yaxis):
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                tick_texts.update({id(tick.label1), id(tick.label2)})
            if axes.get_visible() and axes.axison and axis.get_visible():
                for tick in axis._update_ticks():   # the ticks drawn (in view)
                    drawn_ticks += [label for label in (tick.label1, tick.label2) if label.get_visible()]
    texts = []
    for text in figure.findobj(Text):
        if id(text) in tick_texts:
            continue
        if text.axes is not None and not text.axes.get_visible():
            continue
        texts.append(text)
    texts += drawn_ticks
    return [t for t in texts if t.get_visible() and t.get_text().strip() and _ancestors_visible(t)]


def _ancestors_visible(text):
    legend = getattr(text, "_legend_parent", None)
    return legend is None or legend.get_visible()


def overlapping_texts(figure, tolerance=1.0):
    """Pairs of drawn texts whose window boxes overlap by more than `tolerance` pixels."""
    renderer = figure.canvas.get_renderer()
    boxes = [(text, text.get_window_extent(renderer)) for text in drawn_texts(figure)]
    clashes = []
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1:]:
            dx = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
            dy = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
            if dx > tolerance and dy > tolerance:
                clashes.append((a.get_text(), b.get_text()))
    return clashes


def texts_outside_figure(figure, tolerance=1.0):
    """Texts cut by the figure's edge."""
    renderer = figure.canvas.get_renderer()
    width, height = figure.canvas.get_width_height()
    cut = []
    for text in drawn_texts(figure):
        box = text.get_window_extent(renderer)
        if box.x0 < -tolerance or box.y0 < -tolerance or box.x1 > width + tolerance or box.y1 > height + tolerance:
            cut.append(text.get_text())
    return cut

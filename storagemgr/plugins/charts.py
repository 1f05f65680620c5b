"""PNG charts of a resource's statistics, laid out by its ``charts`` meta.

One panel per chart entry (``{'title': ..., 'series': [names]}``); time
series are drawn as lines against time, a histogram (samples whose value
is a list of bin counts) as bars of its latest sample. Drawn with
matplotlib's Agg backend: no display needed.
"""

import os

from storagemgr import exception


def _open_target(path):
    """A binary file object for ``path``, refusing surprises.

    The name must end in .png, its directory must exist, and an existing
    symbolic link is not followed.
    """
    if not path.lower().endswith('.png'):
        raise exception.InvalidInput(
            reason='chart file %r must end with .png' % path)
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise exception.InvalidInput(
            reason='chart directory %r does not exist' % directory)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC |
                     getattr(os, 'O_NOFOLLOW', 0), 0o644)
    except OSError as e:
        raise exception.InvalidInput(
            reason='cannot write chart file %r: %s' % (path, e.strerror))
    return os.fdopen(fd, 'wb')


def write_png(path, title, layout, series):
    """Draw ``series`` ({name: [(ts, value)]}) per ``layout`` into path."""
    import matplotlib
    matplotlib.use('Agg')
    from matplotlib import pyplot

    panels = [c for c in layout if any(s in series for s in c['series'])]
    if not panels:
        panels = [{'title': 'No samples', 'series': []}]
    figure, axes = pyplot.subplots(len(panels), 1, squeeze=False,
                                   figsize=(8, 3 * len(panels)))
    try:
        figure.suptitle(str(title))
        for axis, chart in zip(axes[:, 0], panels):
            _draw(axis, chart, series)
        figure.tight_layout()
        with _open_target(path) as target:
            figure.savefig(target, format='png')
    finally:
        pyplot.close(figure)
    return path


def _draw(axis, chart, series):
    axis.set_title(str(chart.get('title', '')))
    for name in chart['series']:
        points = series.get(name)
        if not points:
            continue
        if isinstance(points[-1][1], list):
            counts = points[-1][1]
            axis.bar([str(i) for i in range(len(counts))], counts,
                     label=name)
            continue
        axis.plot([p[0] for p in points], [p[1] for p in points],
                  label=name)
    if axis.has_data():
        axis.legend(loc='best')
    else:
        axis.text(0.5, 0.5, 'no samples', ha='center', va='center',
                  transform=axis.transAxes)

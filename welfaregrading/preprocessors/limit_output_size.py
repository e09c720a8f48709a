"""LimitOutputSize: nbgrader's LimitOutput plus limits on characters and image size."""

from nbgrader.preprocessors import LimitOutput
from traitlets import Integer

from welfaregrading.preprocessors import GRADER_NOTE


class LimitOutputSize(LimitOutput):
    """nbgrader's ``LimitOutput`` (lines per stream, traceback length) plus a limit on
    characters per output and on image size, so a huge output cannot bloat the autograded
    notebook or the feedback. Outputs are shortened, never removed: an error or a stderr
    stream still costs a test its points, exactly as before."""

    max_chars = Integer(20_000, help="Characters kept per text output (-1: no limit)."
                        ).tag(config=True)
    max_image_bytes = Integer(2_000_000, help="Largest image kept, in bytes (-1: no limit)."
                              ).tag(config=True)

    def _cut(self, text):
        if self.max_chars < 0 or len(text) <= self.max_chars:
            return text, False
        return (text[: self.max_chars] + f"\n... Output truncated ({len(text):,} characters "
                "in all) ...\n"), True

    def preprocess_cell(self, cell, resources, cell_index):
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if cell.cell_type != "code":
            return cell, resources
        cut_any = False
        for out in cell.outputs:
            if out.output_type == "stream":
                text = out.text if isinstance(out.text, str) else "".join(out.text)
                out.text, cut = self._cut(text)
                cut_any |= cut
            elif out.output_type in ("execute_result", "display_data"):
                for mime in list(out.get("data", {})):
                    value = out.data[mime]
                    if mime.startswith("image/") and not mime.endswith("svg+xml"):
                        size = len(value) * 3 // 4 if isinstance(value, str) else 0
                        if 0 <= self.max_image_bytes < size:
                            del out.data[mime]
                            out.data.setdefault(
                                "text/plain", f"[image of {size:,} bytes left out: too large]")
                            cut_any = True
                    elif isinstance(value, (str, list)):
                        text = value if isinstance(value, str) else "".join(value)
                        out.data[mime], cut = self._cut(text)
                        cut_any |= cut
            elif out.output_type == "error":
                out.evalue, cut = self._cut(out.evalue)
                out.traceback = [self._cut(line)[0] for line in out.traceback]
                cut_any |= cut
        if cut_any:
            cell.metadata.setdefault(GRADER_NOTE, {})["output_truncated"] = True
        return cell, resources

using System.Globalization;
using System.Text;

namespace Affetto.Plotting;

/// <summary>Small SVG writer: XML-escaped text, invariant-culture numbers with at most two decimals.</summary>
internal sealed class SvgBuilder
{
    private readonly StringBuilder _sb = new();

    public SvgBuilder(int width, int height, string fontFamily = "DejaVu Sans, Helvetica, Arial, sans-serif")
    {
        _sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        _sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"{Escape(fontFamily)}\">\n");
        _sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>\n");
    }

    public static string N(double v)
    {
        if (!double.IsFinite(v)) v = 0;
        string s = Math.Round(v, 2).ToString("0.##", CultureInfo.InvariantCulture);
        return s == "-0" ? "0" : s;
    }

    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&apos;"); break;
                default:
                    // Characters that XML 1.0 forbids are replaced so the document always parses.
                    bool ok = c is '\t' or '\n' or '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || char.IsSurrogate(c);
                    sb.Append(ok ? c : '\uFFFD');
                    break;
            }
        }
        return sb.ToString();
    }

    public void Raw(string s) => _sb.Append(s);

    public void Rect(double x, double y, double w, double h, string fill, string? stroke = null, double strokeWidth = 1, string? extra = null)
    {
        _sb.Append($"<rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(w)}\" height=\"{N(h)}\" fill=\"{fill}\"");
        if (stroke != null) _sb.Append($" stroke=\"{stroke}\" stroke-width=\"{N(strokeWidth)}\"");
        if (extra != null) _sb.Append(' ').Append(extra);
        _sb.Append("/>\n");
    }

    public void Line(double x1, double y1, double x2, double y2, string stroke, double width = 1, string? dash = null)
    {
        _sb.Append($"<line x1=\"{N(x1)}\" y1=\"{N(y1)}\" x2=\"{N(x2)}\" y2=\"{N(y2)}\" stroke=\"{stroke}\" stroke-width=\"{N(width)}\"");
        if (dash != null) _sb.Append($" stroke-dasharray=\"{dash}\"");
        _sb.Append("/>\n");
    }

    public void Circle(double cx, double cy, double r, string fill, double opacity = 1)
    {
        _sb.Append($"<circle cx=\"{N(cx)}\" cy=\"{N(cy)}\" r=\"{N(r)}\" fill=\"{fill}\"");
        if (opacity < 1) _sb.Append($" fill-opacity=\"{N(opacity)}\"");
        _sb.Append("/>\n");
    }

    public void Path(IReadOnlyList<(double X, double Y)> points, string stroke, double width, string fill = "none", bool close = false)
    {
        if (points.Count == 0) return;
        _sb.Append("<path d=\"");
        for (int i = 0; i < points.Count; i++)
        {
            _sb.Append(i == 0 ? 'M' : 'L').Append(N(points[i].X)).Append(',').Append(N(points[i].Y));
        }
        if (close) _sb.Append('Z');
        _sb.Append($"\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{N(width)}\" stroke-linejoin=\"round\"/>\n");
    }

    /// <summary>Text; anchor is start/middle/end; rotate in degrees about the anchor point.</summary>
    public void Text(double x, double y, string text, double size, string anchor = "start", string fill = "#222222",
        double rotate = 0, bool bold = false, string? baseline = null, string? cssClass = null)
    {
        _sb.Append($"<text x=\"{N(x)}\" y=\"{N(y)}\" font-size=\"{N(size)}\" text-anchor=\"{anchor}\" fill=\"{fill}\"");
        if (bold) _sb.Append(" font-weight=\"bold\"");
        if (baseline != null) _sb.Append($" dominant-baseline=\"{baseline}\"");
        if (rotate != 0) _sb.Append($" transform=\"rotate({N(rotate)} {N(x)} {N(y)})\"");
        if (cssClass != null) _sb.Append($" class=\"{cssClass}\"");
        _sb.Append('>').Append(Escape(text)).Append("</text>\n");
    }

    public void OpenGroup(string? cssClass = null, string? clipPath = null)
    {
        _sb.Append("<g");
        if (cssClass != null) _sb.Append($" class=\"{cssClass}\"");
        if (clipPath != null) _sb.Append($" clip-path=\"url(#{clipPath})\"");
        _sb.Append(">\n");
    }

    public void CloseGroup() => _sb.Append("</g>\n");

    public void ClipRect(string id, double x, double y, double w, double h)
        => _sb.Append($"<defs><clipPath id=\"{id}\"><rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(w)}\" height=\"{N(h)}\"/></clipPath></defs>\n");

    public string Finish() => _sb.Append("</svg>\n").ToString();
}

using System.Text.Json.Nodes;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Reporting;

/// <summary>A column of a baseline table: its header, the metric of ours it compares with, and manifest values it adds to the match.</summary>
public sealed record BaselineColumn(string Key, string Header, string Metric, IReadOnlyDictionary<string, JsonNode> Match);

/// <summary>
/// A row: its label, the manifest values a run must have to be this row, the paper's values by column key, and the eval point
/// it reads when it is not the columns' own (<c>point = "base"</c>: the base model's row, read from any matching run's
/// <c>_base</c> metrics, since every run evaluates the base model).
/// </summary>
public sealed record BaselineRow(string Label, IReadOnlyDictionary<string, JsonNode> Match, IReadOnlyDictionary<string, double> Values,
    EvalPoint? Point = null);

/// <summary>One table of a baseline file (e.g. the paper's Table 2).</summary>
public sealed record BaselineTable(string Name, string Title, string Caption, IReadOnlyDictionary<string, JsonNode> Fixed,
    IReadOnlyList<BaselineColumn> Columns, IReadOnlyList<BaselineRow> Rows);

/// <summary>
/// A baseline file such as <c>baselines/paper.toml</c>: published tables as data. Each <c>[tableN]</c> has a title, a caption,
/// <c>fixed</c> manifest values, <c>columns</c> (key, header, metric, optional match) and <c>[[tableN.rows]]</c> (label, match,
/// one number per column key, an optional <c>point</c>; a blank cell is simply absent). A cell compares with the run whose manifest has every value of
/// fixed ∪ row match ∪ column match (dotted manifest paths, or <c>name</c> for the manifest name). An optional
/// <c>[tolerances]</c> table (metric name or <c>*</c> pattern → allowed |Δ|) is what <c>lorapar compare --check</c> holds a run to.
/// </summary>
public sealed record BaselineFile(string Path, IReadOnlyDictionary<string, string> Meta, IReadOnlyList<BaselineTable> Tables, ToleranceTable Tolerances)
{
    /// <summary>The name of the optional table of tolerances.</summary>
    public const string TolerancesTable = "tolerances";

    /// <summary>Reads and validates a baseline file; every problem is reported as <c>file:line:col key: message</c> (exit code 2).</summary>
    public static BaselineFile Load(string path)
    {
        var diagnostics = new ManifestDiagnostics();
        var root = TomlDocumentReader.ReadFile(path, path, diagnostics);
        diagnostics.ThrowIfAny();
        var meta = new Dictionary<string, string>();
        var tables = new List<BaselineTable>();
        var tolerances = ToleranceTable.None;
        foreach (var entry in root!.Entries)
        {
            if (entry.Key == "meta" && entry.Value is TomlTableNode metaTable)
                foreach (var m in metaTable.Entries) meta[m.Key] = m.Value is TomlScalar { Value: string s } ? s : m.Value.TypeName;
            else if (entry.Key == TolerancesTable && entry.Value is TomlTableNode toleranceTable)
                tolerances = ReadTolerances(toleranceTable, diagnostics);
            else if (entry.Value is TomlTableNode table) tables.Add(ReadTable(entry.Key, table, diagnostics));
            else diagnostics.Error(entry.KeyLocation, entry.Key, "expected a table ([meta] or [tableN])");
        }
        diagnostics.ThrowIfAny();
        return new BaselineFile(path, meta, tables, tolerances);
    }

    private static ToleranceTable ReadTolerances(TomlTableNode table, ManifestDiagnostics diagnostics)
    {
        var rules = new List<MetricTolerance>();
        foreach (var entry in table.Entries)
        {
            double? value = entry.Value switch
            {
                TomlScalar { Value: double d } => d,
                TomlScalar { Value: long l } => l,
                _ => null,
            };
            if (value is not { } tolerance || !double.IsFinite(tolerance) || tolerance < 0)
                diagnostics.Error(entry.KeyLocation, $"{TolerancesTable}.{entry.Key}",
                    $"expected a number ≥ 0 (the largest |ours − pinned| allowed), got {(entry.Value is TomlScalar scalar ? scalar.Display : entry.Value.TypeName)}");
            else rules.Add(new MetricTolerance(entry.Key, tolerance));
        }
        return new ToleranceTable(rules);
    }

    private static BaselineTable ReadTable(string name, TomlTableNode table, ManifestDiagnostics diagnostics)
    {
        var columns = new List<BaselineColumn>();
        if (table.Find("columns")?.Value is TomlArrayNode columnArray)
            foreach (var item in columnArray.Items) columns.Add(ReadColumn(name, item, diagnostics));
        else diagnostics.Error(table.Location, $"{name}.columns", "missing: an array of { key, header, metric } tables");
        var rows = new List<BaselineRow>();
        if (table.Find("rows")?.Value is TomlArrayNode rowArray)
            foreach (var item in rowArray.Items) rows.Add(ReadRow(name, item, columns, diagnostics));
        return new BaselineTable(name, Text(table, "title"), Text(table, "caption"), Match(table.Find("fixed")), columns, rows);
    }

    private static BaselineColumn ReadColumn(string table, TomlNode node, ManifestDiagnostics diagnostics)
    {
        if (node is not TomlTableNode column)
        {
            diagnostics.Error(node.Location, $"{table}.columns", "expected { key = ..., header = ..., metric = ... }");
            return new BaselineColumn("", "", "", new Dictionary<string, JsonNode>());
        }
        foreach (var required in new[] { "key", "header", "metric" }.Where(k => column.Find(k) is null))
            diagnostics.Error(column.Location, $"{table}.columns", $"column needs '{required}'");
        return new BaselineColumn(Text(column, "key"), Text(column, "header"), Text(column, "metric"), Match(column.Find("match")));
    }

    private static BaselineRow ReadRow(string table, TomlNode node, IReadOnlyList<BaselineColumn> columns, ManifestDiagnostics diagnostics)
    {
        var row = (TomlTableNode)node;
        var values = new Dictionary<string, double>();
        foreach (var entry in row.Entries.Where(e => e.Key is not ("label" or "match" or "point")))
        {
            if (columns.All(c => c.Key != entry.Key))
                diagnostics.Error(entry.KeyLocation, $"{table}.rows.{entry.Key}",
                    "not a column of this table" + DidYouMean.Hint(entry.Key, columns.Select(c => c.Key)));
            else if (entry.Value is TomlScalar { Value: double d }) values[entry.Key] = d;
            else if (entry.Value is TomlScalar { Value: long l }) values[entry.Key] = l;
            else diagnostics.Error(entry.KeyLocation, $"{table}.rows.{entry.Key}", $"expected a number, got {entry.Value.TypeName}");
        }
        return new BaselineRow(Text(row, "label"), Match(row.Find("match")), values, ReadPoint(table, row, diagnostics));
    }

    private static EvalPoint? ReadPoint(string table, TomlTableNode row, ManifestDiagnostics diagnostics)
    {
        if (row.Find("point") is not { } entry) return null;
        if (entry.Value is TomlScalar { Value: string s } && Enum.TryParse<EvalPoint>(s, ignoreCase: true, out var point)
            && s.All(char.IsAsciiLetterOrDigit)) return point;
        diagnostics.Error(entry.KeyLocation, $"{table}.rows.point", "expected \"base\", \"stage1\" or \"stage2\" (the eval point this row reads)");
        return null;
    }

    private static string Text(TomlTableNode table, string key) => table.Find(key)?.Value is TomlScalar { Value: string s } ? s : "";

    /// <summary>A match table flattened to dotted paths → JSON values.</summary>
    private static IReadOnlyDictionary<string, JsonNode> Match(TomlEntry? entry)
    {
        var result = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        void Walk(TomlNode node, string prefix)
        {
            if (node is TomlTableNode t)
                foreach (var e in t.Entries) Walk(e.Value, prefix.Length == 0 ? e.Key : $"{prefix}.{e.Key}");
            else result[prefix] = ToJson(node);
        }
        if (entry?.Value is TomlTableNode table) Walk(table, "");
        return result;
    }

    private static JsonNode ToJson(TomlNode node) => node switch
    {
        TomlArrayNode a => new JsonArray(a.Items.Select(ToJson).ToArray()),
        TomlScalar { Value: string s } => JsonValue.Create(s),
        TomlScalar { Value: long l } => JsonValue.Create(l),
        TomlScalar { Value: double d } => JsonValue.Create(d),
        TomlScalar { Value: bool b } => JsonValue.Create(b),
        _ => JsonValue.Create(node.ToString() ?? ""),
    };
}

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace LoraPar.Pipeline.Reporting;

/// <summary>
/// The report's teacher table from labels.json: each teacher's System-1 and System-2 votes and its abstentions by cause
/// (unparseable replies, failed asks, questions not asked because it was taken out of the run; "open" ones are asked again
/// on the stage's next run), and the agreement with the reference rule when there is one.
/// </summary>
public static class TeacherVotesTable
{
    /// <summary>The table and the reference line for a labels.json document; empty without teachers.</summary>
    public static string Render(JsonNode statistics)
    {
        var text = new StringBuilder();
        if (statistics["teachers"] is JsonArray { Count: > 0 } teachers)
        {
            text.Append('\n').Append(MarkdownTable.Render(
                ["teacher", "System 1", "System 2", "unparseable", "failed", "not asked", "open"],
                teachers.Select(t => (IReadOnlyList<string>)
                [
                    t!["name"]!.GetValue<string>(), Count(t, "system1"), Count(t, "system2"), Count(t, "unparseable"),
                    Count(t, "failed"), Count(t, "skipped"), Count(t, "open"),
                ])));
        }
        if (statistics["reference"] is { } reference)
        {
            var agreement = reference["agreement"]!;
            text.Append(string.Create(CultureInfo.InvariantCulture,
                $"\nAgreement of the labels with the reference {reference["teacher"]}: {100 * agreement["accuracy"]!.GetValue<double>():0.#}% of {agreement["items"]} questions.\n"));
        }
        return text.ToString();
    }

    private static string Count(JsonNode teacher, string key) => $"{teacher[key]?.GetValue<int>() ?? 0}";
}

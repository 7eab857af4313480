using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using LoraPar.Core;

namespace LoraPar.Pipeline.Stages.Data;

/// <summary>
/// One example as the data stage writes it (train.jsonl, eval.jsonl, eval_s1.jsonl, eval_s2.jsonl) and the labels stage
/// passes on (d1.jsonl, d2.jsonl): the question and reference answer in the dataset's own form, and the same example as a
/// training pair (<see cref="Prompt"/> the model is given, <see cref="Response"/> the loss covers).
/// </summary>
/// <param name="Id">Stable id: <c>{file stem}#{line}</c> for file datasets, <c>s2-train-00017</c> for the synthetic task.</param>
/// <param name="Question">The question or instruction as written in the dataset.</param>
/// <param name="Answer">The reference answer: GSM8K's worked solution ending in <c>#### N</c>, an instruction response, MMLU's letter, HumanEval's canonical body.</param>
/// <param name="Prompt">The prompt text, template applied.</param>
/// <param name="Response">The reference continuation of <see cref="Prompt"/>.</param>
/// <param name="Gold">The gold final answer where the task has one (GSM8K's number, MMLU's letter), else null.</param>
/// <param name="System">The synthetic generator's ground-truth system (1 or 2), else null. Never a training label: the labels stage decides D1/D2 from teachers.</param>
/// <param name="Choices">MMLU's options in order, else null.</param>
/// <param name="Metadata">Format-specific fields (e.g. <c>kind</c>, <c>category</c>, <c>subject</c>, <c>entry_point</c>, <c>test</c>).</param>
public sealed record DatasetRow(
    string Id, string Question, string Answer, string Prompt, string Response, string? Gold = null, int? System = null,
    IReadOnlyList<string>? Choices = null, IReadOnlyDictionary<string, string>? Metadata = null);

/// <summary>Reads and writes <see cref="DatasetRow"/> JSONL files (snake_case keys, nulls left out, one object per line).</summary>
public static class DatasetRows
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>Writes <paramref name="rows"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, IEnumerable<DatasetRow> rows) => AtomicFile.Write(path, stream =>
    {
        foreach (var row in rows)
        {
            JsonSerializer.Serialize(stream, row, Json);
            stream.WriteByte((byte)'\n');
        }
    });

    /// <summary>Reads a rows file; a malformed line is a <see cref="BadInputException"/> naming <c>file:line</c>.</summary>
    public static IReadOnlyList<DatasetRow> Read(string path)
    {
        if (!File.Exists(path)) throw new BadInputException($"{path}: file not found; re-run the data stage");
        var rows = new List<DatasetRow>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                rows.Add(JsonSerializer.Deserialize<DatasetRow>(line, Json) ?? throw new JsonException("the line is null"));
            }
            catch (JsonException e)
            {
                throw new BadInputException($"{path}:{lineNumber}: not a dataset row ({e.Message}); re-run the data stage", e);
            }
        }
        return rows;
    }
}

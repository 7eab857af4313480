using System.Globalization;
using LoraPar.Evaluation.Gsm8k;
using LoraPar.Model.Tokenizers;

namespace LoraPar.Evaluation.Datasets;

/// <summary>How the rows of one's own data hold an example.</summary>
public enum OwnDataLayout
{
    /// <summary>A <c>question</c> and its <c>answer</c> (optional <c>system</c>); the question is rendered with the chat template.</summary>
    QuestionAnswer,

    /// <summary>A finished <c>prompt</c> and its <c>completion</c>, used as they are (no template).</summary>
    PromptCompletion,

    /// <summary>A chat <c>messages</c> list: an optional system turn, one user turn, then the assistant's reply (the response).</summary>
    Messages,
}

/// <summary>
/// One example of one's own data in any <see cref="OwnDataLayout"/>, with an optional <c>id</c> column (else
/// <c>{file stem}#{row}</c>) and an optional <c>label</c> column (1 or 2: the System the example belongs to, compared with the
/// teachers' votes). An answer ending in GSM8K's <c>#### N</c> line carries N as its gold answer.
/// </summary>
public sealed record OwnDataRecord(string Id, string Question, string Answer, string System, int? Label, OwnDataLayout Layout)
{
    /// <summary>The fields of <paramref name="layout"/> (those that a <c>[data.columns]</c> mapping may rename).</summary>
    public static IReadOnlyList<string> FieldsOf(OwnDataLayout layout) => layout switch
    {
        OwnDataLayout.QuestionAnswer => ["question", "answer", "system", "id", "label"],
        OwnDataLayout.PromptCompletion => ["prompt", "completion", "id", "label"],
        OwnDataLayout.Messages => ["messages", "id", "label"],
        _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, null),
    };

    /// <summary>Reads a row; <paramref name="positionId"/> is used when the row has no id column.</summary>
    public static OwnDataRecord FromRow(MappedRow row, OwnDataLayout layout, string positionId)
    {
        var id = row.Has("id") || row.Mapping.Columns.ContainsKey("id") ? NonBlank(row, "id") : positionId;
        var label = row.Has("label") || row.Mapping.Columns.ContainsKey("label") ? LabelOf(row) : (int?)null;
        return layout switch
        {
            OwnDataLayout.QuestionAnswer => new(id, NonBlank(row, "question"), NonBlank(row, "answer"), row.OptionalText("system"), label, layout),
            OwnDataLayout.PromptCompletion => new(id, NonBlank(row, "prompt"), NonBlank(row, "completion"), "", label, layout),
            OwnDataLayout.Messages => FromMessages(row, ChatMessage.Read(row, "messages"), id, label),
            _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, null),
        };
    }

    /// <summary>
    /// The training shape. Questions (and messages) are rendered with <paramref name="template"/>; with
    /// <see cref="ChatTemplate.None"/> they take the <c>Question: …\nAnswer:</c> layout and the answer follows after a space.
    /// </summary>
    public Example ToExample(ChatTemplate template)
    {
        var system = System.Length == 0 ? null : System;
        var (prompt, response) = Layout switch
        {
            OwnDataLayout.PromptCompletion => (Question, Answer),
            _ when template == ChatTemplate.None => (ChatTemplate.None.Format(Gsm8kPrompt.Question(Question), system), " " + Answer),
            _ => (template.Format(Question, system), Answer),
        };
        var metadata = new Dictionary<string, string> { ["question"] = Question };
        if (system is not null) metadata["system"] = system;
        return new Example(Id, prompt, response, AnswerExtractor.Extract(Answer, ExtractionMode.Strict), metadata);
    }

    private static OwnDataRecord FromMessages(MappedRow row, IReadOnlyList<ChatMessage> messages, string id, int? label)
    {
        var hasSystem = messages is [{ Role: "system" }, ..];
        var system = hasSystem ? messages[0].Content : "";
        var turns = messages.Skip(hasSystem ? 1 : 0).ToList();
        if (turns is not [{ Role: "user" } user, { Role: "assistant" } reply])
            throw row.Wrong("messages", $"the roles [{string.Join(", ", messages.Select(m => m.Role))}]; an example is an optional system message, "
                                        + "one user message and the assistant's reply (multi-turn conversations are not supported)");
        if (user.Content.Trim().Length == 0 || reply.Content.Trim().Length == 0) throw row.Wrong("messages", "an empty user or assistant message");
        return new OwnDataRecord(id, user.Content, reply.Content, system, label, OwnDataLayout.Messages);
    }

    private static string NonBlank(MappedRow row, string field)
    {
        var text = row.Text(field);
        return text.Trim().Length > 0 ? text : throw row.Wrong(field, "an empty text");
    }

    private static int LabelOf(MappedRow row)
    {
        var text = row.Text("label").Trim();
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var label) && label is 1 or 2
            ? label
            : throw row.Wrong("label", $"'{text}' where a System label (1 or 2) was expected");
    }
}

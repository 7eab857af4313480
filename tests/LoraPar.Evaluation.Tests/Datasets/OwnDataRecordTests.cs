using System.Text.Json.Serialization;
using LoraPar.Core;
using LoraPar.Evaluation.Datasets;
using LoraPar.Evaluation.Tests.Fakes;
using LoraPar.Model.Tokenizers;
using Parquet.Serialization;

namespace LoraPar.Evaluation.Tests.Datasets;

public sealed class OwnDataRecordTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static FieldMapping Map(params (string Field, string Column)[] pairs) => new(pairs.ToDictionary(p => p.Field, p => p.Column));

    [Fact]
    public void Question_answer_jsonl_with_renamed_columns_reads_id_label_and_system()
    {
        var path = _temp.Write("own.jsonl",
            "{\"problem\":\"2+2?\",\"solution\":\"It is 4.\\n#### 4\",\"uid\":\"a1\",\"sys\":2,\"persona\":\"Be brief.\"}\n" +
            "{\"problem\":\"Capital of France?\",\"solution\":\"Paris\",\"uid\":\"a2\",\"sys\":\"1\"}\n");
        var mapping = Map(("question", "problem"), ("answer", "solution"), ("id", "uid"), ("label", "sys"), ("system", "persona"));
        var records = DatasetLoader.LoadOwnData(path, OwnDataLayout.QuestionAnswer, mapping);
        Assert.Equal(["a1", "a2"], records.Select(r => r.Id));
        Assert.Equal([2, 1], records.Select(r => r.Label!.Value));
        Assert.Equal(("Be brief.", ""), (records[0].System, records[1].System));
        var example = records[0].ToExample(ChatTemplate.Chatml);
        Assert.Equal("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n", example.Prompt);
        Assert.Equal("It is 4.\n#### 4", example.Response);
        Assert.Equal("4", example.GoldAnswer);
        Assert.Null(records[1].ToExample(ChatTemplate.None).GoldAnswer);
    }

    [Fact]
    public void Without_a_chat_template_a_question_takes_the_question_answer_layout()
    {
        var path = _temp.Write("qa.csv", "question,answer\n\"Name a colour, please\",Blue\n");
        var record = Assert.Single(DatasetLoader.LoadOwnData(path, OwnDataLayout.QuestionAnswer, FieldMapping.Identity));
        Assert.Equal("qa#2", record.Id);
        Assert.Null(record.Label);
        var example = record.ToExample(ChatTemplate.None);
        Assert.Equal(("Question: Name a colour, please\nAnswer:", " Blue"), (example.Prompt, example.Response));
        Assert.Equal("[INST] Name a colour, please [/INST]", record.ToExample(ChatTemplate.Llama2).Prompt);
    }

    [Fact]
    public void Prompt_completion_pairs_are_used_as_written_whatever_the_template()
    {
        var path = _temp.Write("pc.jsonl", "{\"prompt\":\"Translate: chat\\n\",\"completion\":\"cat\"}\n");
        var record = Assert.Single(DatasetLoader.LoadOwnData(path, OwnDataLayout.PromptCompletion, FieldMapping.Identity));
        var example = record.ToExample(ChatTemplate.Chatml);
        Assert.Equal(("Translate: chat\n", "cat"), (example.Prompt, example.Response));
    }

    [Fact]
    public void Chat_messages_from_jsonl_lists_and_csv_json_cells_are_rendered_with_the_template()
    {
        const string conversation = "[{\"role\":\"system\",\"content\":\"You add.\"},{\"role\":\"user\",\"content\":\"1+2\"},{\"role\":\"assistant\",\"content\":\"3\"}]";
        var jsonl = _temp.Write("chat.jsonl", $"{{\"conversation\":{conversation}}}\n");
        var csv = _temp.Write("chat.csv", "messages\n\"" + conversation.Replace("\"", "\"\"") + "\"\n");
        var fromJsonl = Assert.Single(DatasetLoader.LoadOwnData(jsonl, OwnDataLayout.Messages, Map(("messages", "conversation"))));
        var fromCsv = Assert.Single(DatasetLoader.LoadOwnData(csv, OwnDataLayout.Messages, FieldMapping.Identity));
        foreach (var record in (OwnDataRecord[])[fromJsonl, fromCsv])
        {
            Assert.Equal(("1+2", "3", "You add."), (record.Question, record.Answer, record.System));
            Assert.Equal("[INST] <<SYS>>\nYou add.\n<</SYS>>\n\n1+2 [/INST]", record.ToExample(ChatTemplate.Llama2).Prompt);
        }
    }

    [Fact]
    public async Task Parquet_messages_as_a_list_of_structs_are_read()
    {
        var path = _temp.File("chat.parquet");
        await ParquetSerializer.SerializeAsync(new[]
        {
            new ChatRow { Messages = [new() { Role = "user", Content = "hi" }, new() { Role = "assistant", Content = "hello" }], Label = 1 },
        }, path);
        var record = Assert.Single(DatasetLoader.LoadOwnData(path, OwnDataLayout.Messages, FieldMapping.Identity));
        Assert.Equal(("hi", "hello", 1, "chat#0"), (record.Question, record.Answer, record.Label, record.Id));
    }

    [Fact]
    public async Task Parquet_question_answer_rows_are_read()
    {
        var path = _temp.File("qa.parquet");
        await ParquetSerializer.SerializeAsync(new[] { new QaRow { Q = "Why?", A = "Because." } }, path);
        var record = Assert.Single(DatasetLoader.LoadOwnData(path, OwnDataLayout.QuestionAnswer, Map(("question", "q"), ("answer", "a"))));
        Assert.Equal(("Why?", "Because."), (record.Question, record.Answer));
    }

    [Theory]
    [InlineData("{\"question\":\"q\"}\n", "own.jsonl:1: missing field 'answer'")]
    [InlineData("{\"question\":\"q\",\"answer\":\"a\"}\n{\"question\":\" \",\"answer\":\"a\"}\n", "own.jsonl:2: field 'question' holds an empty text")]
    [InlineData("{\"question\":\"q\",\"answer\":\"a\",\"label\":3}\n", "own.jsonl:1: field 'label' holds '3' where a System label (1 or 2) was expected")]
    [InlineData("{\"question\":\"q\",\"answer\":\"a\",\"id\":\"x\"}\n{\"question\":\"r\",\"answer\":\"b\",\"id\":\"x\"}\n", "own.jsonl:2: field 'id' holds the id 'x' again (first at ")]
    public void Malformed_rows_name_file_row_and_field(string text, string expected)
    {
        var path = _temp.Write("own.jsonl", text);
        var error = Assert.Throws<BadInputException>(() => DatasetLoader.LoadOwnData(path, OwnDataLayout.QuestionAnswer, FieldMapping.Identity));
        Assert.StartsWith(Path.Combine(Path.GetDirectoryName(path)!, expected), error.Message);
    }

    [Theory]
    [InlineData("[{\"role\":\"user\",\"content\":\"a\"}]", "the roles [user]")]
    [InlineData("[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":\"b\"},{\"role\":\"user\",\"content\":\"c\"},{\"role\":\"assistant\",\"content\":\"d\"}]", "multi-turn")]
    [InlineData("[{\"role\":\"robot\",\"content\":\"a\"}]", "a message 0 that is not an object with a \"role\"")]
    [InlineData("\"not a list\"", "a text that is not a JSON array of messages")]
    public void Malformed_conversations_are_row_errors(string messages, string expected)
    {
        var path = _temp.Write("chat.jsonl", $"{{\"messages\":{messages}}}\n");
        var error = Assert.Throws<BadInputException>(() => DatasetLoader.LoadOwnData(path, OwnDataLayout.Messages, FieldMapping.Identity));
        Assert.StartsWith($"{path}:1: field 'messages'", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_mapping_of_a_field_the_layout_lacks_is_refused()
    {
        var path = _temp.Write("pc.jsonl", "{\"prompt\":\"p\",\"completion\":\"c\"}\n");
        var error = Assert.Throws<BadInputException>(() => DatasetLoader.LoadOwnData(path, OwnDataLayout.PromptCompletion, Map(("question", "q"))));
        Assert.Contains("unknown field(s) 'question'", error.Message);
    }

    internal sealed class ChatRow
    {
        [JsonPropertyName("messages")] public List<Turn> Messages { get; set; } = [];
        [JsonPropertyName("label")] public long Label { get; set; }
    }

    internal sealed class Turn
    {
        [JsonPropertyName("role")] public string Role { get; set; } = "";
        [JsonPropertyName("content")] public string Content { get; set; } = "";
    }

    internal sealed class QaRow
    {
        [JsonPropertyName("q")] public string Q { get; set; } = "";
        [JsonPropertyName("a")] public string A { get; set; } = "";
    }
}

using LoraPar.Core;
using LoraPar.Pipeline.Stages.Data;

namespace LoraPar.Pipeline.Tests.Stages.Data;

public sealed class OwnDataStageTests
{
    private const string Conversations =
        "{\"chat\":[{\"role\":\"system\",\"content\":\"Answer with a number.\"},{\"role\":\"user\",\"content\":\"3+4?\"},{\"role\":\"assistant\",\"content\":\"7\"}],\"sys\":1}\n"
        + "{\"chat\":[{\"role\":\"user\",\"content\":\"12*3+1?\"},{\"role\":\"assistant\",\"content\":\"12*3=36\\n36+1=37\\n#### 37\"}],\"sys\":2}\n";

    private static StageHarness Messages(string template)
    {
        var h = new StageHarness("[data]\ndataset = \"messages\"\ntrain = \"in/chat.jsonl\"\neval = \"in/held.csv\"\n"
            + $"chat_template = \"{template}\"\n[data.columns]\nmessages = \"chat\"\nlabel = \"sys\"\n", new DataStage());
        h.Ws.Write("in/chat.jsonl", Conversations);
        h.Ws.Write("in/held.csv", "chat,sys\n\"[{\"\"role\"\":\"\"user\"\",\"\"content\"\":\"\"5+5?\"\"},{\"\"role\"\":\"\"assistant\"\",\"\"content\"\":\"\"#### 10\"\"}]\",1\n");
        return h;
    }

    [Fact]
    public void Chat_messages_become_rows_rendered_with_the_named_template_and_labels_become_ground_truth()
    {
        using var h = Messages("chatml");
        h.Run();
        var train = DatasetRows.Read(Path.Combine(h.Artifact("data"), DataStage.TrainFile));
        Assert.Equal(["chat#1", "chat#2"], train.Select(r => r.Id));
        Assert.Equal([1, 2], train.Select(r => r.System!.Value));
        Assert.Equal("<|im_start|>system\nAnswer with a number.<|im_end|>\n<|im_start|>user\n3+4?<|im_end|>\n<|im_start|>assistant\n", train[0].Prompt);
        Assert.Equal(("7", null), (train[0].Response, train[0].Gold));
        Assert.Equal("37", train[1].Gold);
        var eval = Assert.Single(DatasetRows.Read(Path.Combine(h.Artifact("data"), DataStage.EvalFile)));
        Assert.Equal(("5+5?", "#### 10", "10", "held#2"), (eval.Question, eval.Answer, eval.Gold, eval.Id));
    }

    [Fact]
    public void Auto_follows_the_checkpoint_chat_template_and_a_changed_template_reruns_the_stage()
    {
        using var h = new StageHarness("[model]\nsource = \"checkpoint\"\npath = \"ckpt\"\n[data]\ndataset = \"question-answer\"\ntrain = \"in/qa.jsonl\"\n", new DataStage());
        h.Ws.Write("in/qa.jsonl", "{\"question\":\"Hi?\",\"answer\":\"Hello.\"}\n");
        h.Ws.Write("ckpt/tokenizer_config.json", "{\"chat_template\":\"{% for m in messages %}[INST] <<SYS>>{{ m.content }} [/INST]{% endfor %}\"}");
        h.Run();
        Assert.Equal("[INST] Hi? [/INST]", Assert.Single(DatasetRows.Read(Path.Combine(h.Artifact("data"), DataStage.TrainFile))).Prompt);
        Assert.Equal(["data"], h.Ran());
        h.Ws.Write("ckpt/tokenizer_config.json", "{\"chat_template\":\"{{ '<|im_start|>' + m.role }}\"}");
        h.Run();
        Assert.Equal(["data"], h.Ran());
        Assert.StartsWith("<|im_start|>user\nHi?", Assert.Single(DatasetRows.Read(Path.Combine(h.Artifact("data"), DataStage.TrainFile))).Prompt);
    }

    [Fact]
    public void A_malformed_row_is_a_load_error_at_the_data_key_naming_file_and_row()
    {
        using var h = Messages("none");
        h.Ws.Write("in/chat.jsonl", Conversations + "{\"chat\":[{\"role\":\"user\",\"content\":\"x\"}],\"sys\":2}\n");
        var error = Assert.Throws<BadInputException>(() => h.Manifest).Message;
        Assert.Contains($"m.toml:4:1 data.train: {h.Ws.PathOf("in/chat.jsonl")}:3: field 'messages' (column 'chat') holds the roles [user]", error);
    }

    [Fact]
    public void A_held_out_file_graded_as_gsm8k_needs_gold_answers_at_load()
    {
        using var h = Messages("none");
        h.Ws.Write("in/held.csv", "chat,sys\n\"[{\"\"role\"\":\"\"user\"\",\"\"content\"\":\"\"5+5?\"\"},{\"\"role\"\":\"\"assistant\"\",\"\"content\"\":\"\"ten\"\"}]\",2\n");
        Assert.Contains("m.toml:5:1 data.eval: in/held.csv: row held#2 has no gold answer", Assert.Throws<BadInputException>(() => h.Manifest).Message);
    }

    [Theory]
    [InlineData("[data]\ndataset = \"prompt-completion\"\ntrain = \"t.jsonl\"\n[data.columns]\nquestion = \"q\"\n", "m.toml:6:1 data.columns.question: dataset = \"prompt-completion\" has no field 'question'; its fields are prompt, completion, id, label")]
    [InlineData("[data]\ndataset = \"gsm8k\"\ntrain = \"t.jsonl\"\n[data.columns]\nquestion = \"q\"\n", "m.toml:6:1 data.columns.question: [data.columns] maps one's own data")]
    [InlineData("[data]\ndataset = \"question-answer\"\ntrain = \"t.jsonl\"\nchat_template = \"vicuna\"\n", "m.toml:5:17 data.chat_template: unknown value 'vicuna'; expected one of auto, none, llama2, chatml")]
    [InlineData("[data]\ndataset = \"prompt-completion\"\ntrain = \"t.jsonl\"\nchat_template = \"chatml\"\n", "m.toml:5:1 data.chat_template: chat_template renders one's own questions")]
    public void Column_and_template_mistakes_are_load_errors(string manifest, string expected)
    {
        using var h = new StageHarness(manifest, new DataStage());
        h.Ws.Write("t.jsonl", "{\"prompt\":\"p\",\"completion\":\"c\",\"question\":\"q\",\"answer\":\"#### 1\"}\n");
        Assert.Contains(expected, Assert.Throws<BadInputException>(() => h.Manifest).Message);
    }
}

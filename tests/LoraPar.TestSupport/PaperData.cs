using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LoraPar.TestSupport;

/// <summary>
/// A small data folder in the layout <c>experiments/paper/</c> reads from <c>LORAPAR_DATA</c>, every file in its published schema:
/// <c>gsm8k/train.jsonl</c> and <c>gsm8k/test.jsonl</c> (the first rows of the real GSM8K train split, split into train and a
/// held-out eval), <c>dolly/databricks-dolly-15k.jsonl</c> (instruction, context, response, category),
/// <c>platypus/open-platypus.jsonl</c> (input, output, instruction, data_source), <c>code-alpaca/code_alpaca_20k.jsonl</c>
/// (instruction, input, output), <c>code-feedback/code-feedback.jsonl</c> (query, answer, resource, lang), MMLU as Hendrycks et al.
/// distribute it (<c>mmlu/data/dev/{subject}_dev.csv</c>, <c>mmlu/data/test/{subject}_test.csv</c>: header-less
/// question,A,B,C,D,answer) and as cais/mmlu JSON lines (<c>mmlu/test.jsonl</c>: question, subject, choices, answer index), and
/// the real <c>humaneval/HumanEval.jsonl.gz</c>. The instruction, code and MMLU rows are generated from templates here.
/// </summary>
public static class PaperData
{
    /// <summary>Rows of each instruction and code file.</summary>
    public const int InstructionRows = 12;

    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly (string Country, string Capital, string Continent)[] Places =
    [
        ("France", "Paris", "Europe"), ("Japan", "Tokyo", "Asia"), ("Kenya", "Nairobi", "Africa"), ("Peru", "Lima", "South America"),
        ("Canada", "Ottawa", "North America"), ("Egypt", "Cairo", "Africa"), ("Norway", "Oslo", "Europe"), ("Chile", "Santiago", "South America"),
        ("India", "New Delhi", "Asia"), ("Spain", "Madrid", "Europe"), ("Ghana", "Accra", "Africa"), ("Cuba", "Havana", "North America"),
    ];

    /// <summary>Writes the folder from the GSM8K train split at <paramref name="gsm8kTrain"/> and HumanEval at <paramref name="humanEval"/>.</summary>
    public static void Write(string folder, string gsm8kTrain, string humanEval, int gsm8kTrainRows, int gsm8kEvalRows)
    {
        var gsm8k = File.ReadLines(gsm8kTrain).Where(l => l.Length > 0).Take(gsm8kTrainRows + gsm8kEvalRows).ToList();
        WriteLines(folder, "gsm8k/train.jsonl", gsm8k.Take(gsm8kTrainRows));
        WriteLines(folder, "gsm8k/test.jsonl", gsm8k.Skip(gsm8kTrainRows));
        WriteJsonl(folder, "dolly/databricks-dolly-15k.jsonl", Enumerable.Range(0, InstructionRows).Select(Dolly));
        WriteJsonl(folder, "platypus/open-platypus.jsonl", Enumerable.Range(0, InstructionRows).Select(Platypus));
        WriteJsonl(folder, "code-alpaca/code_alpaca_20k.jsonl", Enumerable.Range(0, InstructionRows).Select(CodeAlpaca));
        WriteJsonl(folder, "code-feedback/code-feedback.jsonl", Enumerable.Range(0, InstructionRows).Select(CodeFeedback));
        Mmlu.Write(folder);
        Directory.CreateDirectory(Path.Combine(folder, "humaneval"));
        File.Copy(humanEval, Path.Combine(folder, "humaneval", "HumanEval.jsonl.gz"), overwrite: true);
    }

    private static object Dolly(int i)
    {
        var (country, capital, continent) = Places[i];
        return (i % 3) switch
        {
            0 => new { instruction = $"What is the capital of {country}?", context = "", response = $"The capital of {country} is {capital}.", category = "open_qa" },
            1 => new
            {
                instruction = $"Using the passage, name the continent {country} lies on.",
                context = $"{country} is a country in {continent}. Its capital and largest city is {capital}.",
                response = $"{country} lies in {continent}.", category = "closed_qa",
            },
            _ => new
            {
                instruction = $"Summarise the passage in one sentence.",
                context = $"{capital} is the capital of {country}. Many visitors come to {capital} every year to see its old streets and museums.",
                response = $"{capital}, the capital of {country}, draws many visitors to its streets and museums.", category = "summarization",
            },
        };
    }

    private static object Platypus(int i)
    {
        var (a, b) = (3 + i, 4 + 2 * i);
        return i % 2 == 0
            ? new { input = "", output = $"Multiplying gives {a} × {b} = {a * b}. The answer is {a * b}.", instruction = $"What is {a} times {b}?", data_source = "MATH/PRM-800K" }
            : new
            {
                input = "", output = $"The rectangle's area is length × width = {a} × {b} = {a * b} square units.",
                instruction = $"A rectangle is {a} units long and {b} units wide. What is its area?", data_source = "scienceqa",
            };
    }

    private static readonly (string Name, string Task, string Body)[] Functions =
    [
        ("add", "returns the sum of two numbers", "def add(a, b):\n    return a + b"),
        ("is_even", "tells whether a number is even", "def is_even(n):\n    return n % 2 == 0"),
        ("reverse", "reverses a string", "def reverse(s):\n    return s[::-1]"),
        ("maximum", "returns the largest item of a list", "def maximum(items):\n    return max(items)"),
        ("count_vowels", "counts the vowels in a string", "def count_vowels(s):\n    return sum(1 for c in s.lower() if c in 'aeiou')"),
        ("square_all", "squares every number of a list", "def square_all(xs):\n    return [x * x for x in xs]"),
    ];

    private static object CodeAlpaca(int i)
    {
        var (name, task, body) = Functions[i % Functions.Length];
        return i < Functions.Length
            ? new { instruction = $"Write a Python function named {name} that {task}.", input = "", output = body }
            : new { instruction = $"Complete the Python function so that it {task}.", input = body.Split('\n')[0], output = body };
    }

    private static object CodeFeedback(int i)
    {
        var (name, task, body) = Functions[i % Functions.Length];
        return new
        {
            query = i < Functions.Length ? $"Write a Python function `{name}` that {task}." : $"Explain and implement a Python function `{name}` that {task}.",
            answer = i < Functions.Length ? $"```python\n{body}\n```" : $"Here is one way to do it:\n```python\n{body}\n```\nIt {task}.",
            resource = "evolinstruct",
            lang = "python",
        };
    }

    private static void WriteJsonl(string folder, string relative, IEnumerable<object> rows) =>
        WriteLines(folder, relative, rows.Select(r => JsonSerializer.Serialize(r, Json)));

    internal static void WriteLines(string folder, string relative, IEnumerable<string> lines)
    {
        var path = Path.Combine(folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Concat(lines.Select(l => l + "\n")), new UTF8Encoding(false));
    }

    /// <summary>MMLU in both published layouts: two subjects, five dev questions each (the shots) and four test questions each.</summary>
    private static class Mmlu
    {
        public const int DevPerSubject = 5;
        public const int TestPerSubject = 4;

        public static void Write(string folder)
        {
            var cais = new List<string>();
            foreach (var (subject, make) in new (string, Func<int, Question>)[] { ("elementary_mathematics", Arithmetic), ("world_geography", Geography) })
            {
                WriteLines(folder, $"mmlu/data/dev/{subject}_dev.csv", Enumerable.Range(0, DevPerSubject).Select(i => Csv(make(i))));
                var test = Enumerable.Range(DevPerSubject, TestPerSubject).Select(make).ToList();
                WriteLines(folder, $"mmlu/data/test/{subject}_test.csv", test.Select(Csv));
                cais.AddRange(test.Select(q => JsonSerializer.Serialize(new { question = q.Text, subject, choices = q.Choices, answer = q.Answer }, Json)));
            }
            WriteLines(folder, "mmlu/test.jsonl", cais);
        }

        private sealed record Question(string Text, string[] Choices, int Answer);

        private static Question Arithmetic(int i)
        {
            var (a, b) = (2 + i, 5 + i);
            var sum = a + b;
            return new Question($"What is {a} + {b}?", [$"{sum - 1}", $"{sum + 2}", $"{sum}", $"{sum + 1}"], 2);
        }

        private static Question Geography(int i)
        {
            var (country, capital, _) = Places[i];
            var others = Enumerable.Range(1, 3).Select(k => Places[(i + k) % Places.Length].Capital).ToList();
            var answer = i % 4;
            var choices = others.ToList();
            choices.Insert(answer, capital);
            return new Question($"Which city is the capital of {country}, a country with many cities, rivers, and mountains?", [.. choices], answer);
        }

        /// <summary>One header-less CSV record, quoted as RFC 4180 where a field holds a comma or a quote.</summary>
        private static string Csv(Question q) =>
            string.Join(",", new[] { q.Text }.Concat(q.Choices).Append(((char)('A' + q.Answer)).ToString()).Select(Field));

        private static string Field(string value) =>
            value.IndexOfAny([',', '"', '\n']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}

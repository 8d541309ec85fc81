// Apache Jena as a second engine for mca-kg: many jobs in one JVM (see kg/jena.py).
//
// Usage: java -cp JENA:RUNNER JenaRunner JOB.json RESULT.json
//
// JOB.json holds what to do; each part is optional:
//
//   "parse":       ["file.ttl", ...]   parse each with RIOT (checking on), report every
//                                      warning and error
//   "graphs":      [{"name": IRI, "files": [...]}]  the dataset the queries see: one named
//                                      graph each, the union of all as default graph
//   "tdb2":        "db"                or a TDB2 database (tdb2.tdbloader --loc db), asked
//                                      with the union of its graphs as default graph
//   "queries":     [{"id", "text", "prefixes": {p: ns}, "output": "answer.srj"}]
//                                      SELECT queries, their parameters bound in the
//                                      text; answers as SPARQL JSON
//   "shapes":      "shapes.ttl"
//   "single_language_shapes": "shapes.en.ttl"  what `kg shapes` writes, used when
//                                      Jena refuses "shapes"
//   "validations": [{"id", "files": [...]}]  validate the union of the files
//
// RESULT.json
// says what happened to each job; a failing job records its error and the others run on.
// Nothing is printed on stdout.

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.apache.jena.atlas.json.JSON;
import org.apache.jena.atlas.json.JsonArray;
import org.apache.jena.atlas.json.JsonObject;
import org.apache.jena.atlas.json.JsonValue;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.GraphUtil;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.graph.Triple;
import org.apache.jena.graph.compose.MultiUnion;
import org.apache.jena.query.Dataset;
import org.apache.jena.query.DatasetFactory;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.ReadWrite;
import org.apache.jena.query.ResultSetFormatter;
import org.apache.jena.query.Syntax;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.riot.RiotException;
import org.apache.jena.riot.system.ErrorHandler;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.shacl.parser.ShaclParseException;
import org.apache.jena.shacl.validation.ReportEntry;
import org.apache.jena.shacl.vocabulary.SHACL;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.DatasetGraphFactory;
import org.apache.jena.sparql.graph.GraphFactory;
import org.apache.jena.sparql.path.P_Link;
import org.apache.jena.sparql.path.Path;
import org.apache.jena.sys.JenaSystem;
import org.apache.jena.tdb2.TDB2;
import org.apache.jena.tdb2.TDB2Factory;
import org.apache.jena.util.iterator.ExtendedIterator;
import org.apache.jena.vocabulary.RDFS;

public final class JenaRunner {

    /** Every parsed file, so that a file shared by many jobs is read once. */
    private final Map<String, Graph> parsed = new HashMap<>();

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: JenaRunner JOB.json RESULT.json");
            System.exit(2);
        }
        JenaSystem.init();
        JsonObject job = JSON.read(args[0]);
        JsonObject result = new JenaRunner().run(job);
        try (OutputStream out = new FileOutputStream(args[1])) {
            JSON.write(out, result);
        }
    }

    private JsonObject run(JsonObject job) {
        JsonObject result = new JsonObject();
        JsonObject milliseconds = new JsonObject();
        result.put("jena", org.apache.jena.Jena.VERSION);
        long start = System.nanoTime();
        result.put("parse", parseAll(strings(job, "parse")));
        milliseconds.put("parse", (System.nanoTime() - start) / 1_000_000);
        start = System.nanoTime();
        result.put("queries", answerAll(job));
        milliseconds.put("queries", (System.nanoTime() - start) / 1_000_000);
        start = System.nanoTime();
        result.put("validations", validateAll(job, result));
        milliseconds.put("validations", (System.nanoTime() - start) / 1_000_000);
        result.put("milliseconds", milliseconds);
        return result;
    }

    private JsonArray answerAll(JsonObject job) {
        JsonArray outcomes = new JsonArray();
        if (!job.hasKey("queries")) {
            return outcomes;
        }
        Dataset dataset = null;
        String datasetError = null;
        boolean tdb2 = job.hasKey("tdb2");
        try {
            dataset = tdb2
                    ? TDB2Factory.connectDataset(job.getString("tdb2"))
                    : dataset(job.get("graphs").getAsArray());
        } catch (RuntimeException error) {
            datasetError = describe(error);
        }
        for (JsonValue each : job.get("queries").getAsArray()) {
            JsonObject query = each.getAsObject();
            JsonObject outcome = new JsonObject();
            outcome.put("id", query.getString("id"));
            try {
                if (dataset == null) {
                    throw new IllegalStateException("no dataset: " + datasetError);
                }
                if (tdb2) {
                    // tdb2.tdbquery --set tdb:unionDefaultGraph=true, in a read transaction
                    dataset.getContext().set(TDB2.symUnionDefaultGraph, true);
                    dataset.begin(ReadWrite.READ);
                }
                try {
                    answer(dataset, query);
                } finally {
                    if (tdb2) {
                        dataset.end();
                    }
                }
            } catch (RuntimeException | IOException error) {
                outcome.put("error", describe(error));
            }
            outcomes.add(outcome);
        }
        return outcomes;
    }

    private JsonArray validateAll(JsonObject job, JsonObject result) {
        JsonArray outcomes = new JsonArray();
        if (!job.hasKey("validations")) {
            return outcomes;
        }
        Graph shapesGraph = null;
        Shapes shapes = null;
        String shapesError = null;
        try {
            shapesGraph = graph(job.getString("shapes"));
            try {
                shapes = Shapes.parse(shapesGraph);
            } catch (ShaclParseException error) {
                // Jena refuses a SPARQL constraint with messages in two languages
                // (apache/jena#3817), which SHACL allows. Say so, and go on with the
                // variant a user gets from `kg shapes` (one message per constraint).
                result.put("shapes_error", describe(error));
                shapesGraph = graph(job.getString("single_language_shapes"));
                shapes = Shapes.parse(shapesGraph);
            }
        } catch (RuntimeException error) {
            shapesError = describe(error);
        }
        for (JsonValue each : job.get("validations").getAsArray()) {
            JsonObject validation = each.getAsObject();
            JsonObject outcome = new JsonObject();
            outcome.put("id", validation.getString("id"));
            try {
                if (shapes == null) {
                    throw new IllegalStateException("no shapes: " + shapesError);
                }
                validate(shapesGraph, shapes, strings(validation, "files"), outcome);
            } catch (RuntimeException error) {
                outcome.put("error", describe(error));
            }
            outcomes.add(outcome);
        }
        return outcomes;
    }

    // Parsing ---------------------------------------------------------------------------

    /** Records what RIOT says about a file; errors stop the parse, as they do by default. */
    private static final class Collector implements ErrorHandler {
        final JsonArray problems = new JsonArray();

        private void add(String severity, String message, long line, long column) {
            JsonObject problem = new JsonObject();
            problem.put("severity", severity);
            problem.put("message", message);
            problem.put("line", line);
            problem.put("column", column);
            problems.add(problem);
        }

        @Override
        public void warning(String message, long line, long column) {
            add("warning", message, line, column);
        }

        @Override
        public void error(String message, long line, long column) {
            add("error", message, line, column);
            throw new RiotException(message);
        }

        @Override
        public void fatal(String message, long line, long column) {
            add("fatal", message, line, column);
            throw new RiotException(message);
        }
    }

    private static Graph read(String file, Collector collector) {
        Graph graph = GraphFactory.createGraphMem();
        RDFParser.create()
                .source(file)
                .lang(Lang.TURTLE)
                .checking(true)
                .errorHandler(collector)
                .parse(graph);
        return graph;
    }

    private JsonArray parseAll(List<String> files) {
        JsonArray out = new JsonArray();
        for (String file : files) {
            Collector collector = new Collector();
            JsonObject entry = new JsonObject();
            entry.put("file", file);
            try {
                Graph graph = read(file, collector);
                parsed.put(file, graph);
                entry.put("triples", graph.size());
            } catch (RuntimeException error) {
                if (collector.problems.isEmpty()) {
                    collector.add("fatal", describe(error), -1, -1);
                }
            }
            entry.put("problems", collector.problems);
            out.add(entry);
        }
        return out;
    }

    /** A parsed file (warnings are for the parse jobs to report); an error is fatal. */
    private Graph graph(String file) {
        Graph graph = parsed.get(file);
        if (graph != null) {
            return graph;
        }
        try {
            graph = read(file, new Collector());
        } catch (RiotException error) {
            throw new IllegalStateException(file + ": " + describe(error), error);
        }
        parsed.put(file, graph);
        return graph;
    }

    // Queries ---------------------------------------------------------------------------

    /** One named graph per entry, and their union (without duplicates) as default graph. */
    private Dataset dataset(JsonArray graphs) {
        List<Graph> parts = new ArrayList<>();
        List<Node> names = new ArrayList<>();
        for (JsonValue each : graphs) {
            JsonObject spec = each.getAsObject();
            Graph named = GraphFactory.createGraphMem();
            for (String file : strings(spec, "files")) {
                GraphUtil.addInto(named, graph(file));
            }
            parts.add(named);
            names.add(NodeFactory.createURI(spec.getString("name")));
        }
        DatasetGraph dsg = DatasetGraphFactory.create(new MultiUnion(parts.toArray(new Graph[0])));
        for (int i = 0; i < parts.size(); i++) {
            dsg.addGraph(names.get(i), parts.get(i));
        }
        return DatasetFactory.wrap(dsg);
    }

    private static void answer(Dataset dataset, JsonObject spec) throws IOException {
        Query query = new Query();
        if (spec.hasKey("prefixes")) {
            JsonObject prefixes = spec.getObj("prefixes");
            for (String prefix : prefixes.keys()) {
                query.getPrefixMapping().setNsPrefix(prefix, prefixes.getString(prefix));
            }
        }
        QueryFactory.parse(query, spec.getString("text"), null, Syntax.syntaxSPARQL_11);
        if (!query.isSelectType()) {
            throw new IllegalArgumentException("only SELECT queries can be answered");
        }
        // Parameters arrive bound: a VALUES block opens the WHERE clause (kg.catalogue).
        try (QueryExecution execution =
                        QueryExecution.dataset(dataset).query(query).build();
                OutputStream out = new FileOutputStream(spec.getString("output"))) {
            ResultSetFormatter.outputAsJSON(out, execution.execSelect());
        }
    }

    // SHACL -----------------------------------------------------------------------------

    private void validate(Graph shapesGraph, Shapes shapes, List<String> files, JsonObject out) {
        Graph data = GraphFactory.createGraphMem();
        for (String file : files) {
            GraphUtil.addInto(data, graph(file));
        }
        ValidationReport report = ShaclValidator.get().validate(shapes, data);
        out.put("conforms", report.conforms());
        JsonArray results = new JsonArray();
        for (ReportEntry entry : report.getEntries()) {
            JsonObject result = new JsonObject();
            result.put("severity", entry.severity().level().getLocalName());
            result.put("shape", shapeName(shapesGraph, entry.source()));
            result.put("focus", text(entry.focusNode()));
            Path path = entry.resultPath();
            if (path instanceof P_Link) {
                result.put("path", text(((P_Link) path).getNode()));
            } else if (path != null) {
                result.put("path", path.toString());
            }
            if (entry.value() != null) {
                result.put("value", text(entry.value()));
            }
            if (entry.sourceConstraintComponent() != null) {
                result.put("component", text(entry.sourceConstraintComponent()));
            }
            result.put("message", entry.message() == null ? "" : entry.message());
            results.add(result);
        }
        out.put("results", results);
    }

    /** The named shape behind a result: a property shape's own name, or its node shape's. */
    private static String shapeName(Graph shapes, Node source) {
        if (source == null) {
            return "(anonymous shape)";
        }
        if (source.isURI()) {
            return source.getURI();
        }
        ExtendedIterator<Triple> parents = shapes.find(Node.ANY, SHACL.property, source);
        try {
            while (parents.hasNext()) {
                Node parent = parents.next().getSubject();
                if (parent.isURI()) {
                    return parent.getURI();
                }
            }
        } finally {
            parents.close();
        }
        ExtendedIterator<Triple> labels = shapes.find(source, RDFS.label.asNode(), Node.ANY);
        try {
            if (labels.hasNext()) {
                return labels.next().getObject().getLiteralLexicalForm();
            }
        } finally {
            labels.close();
        }
        return "(anonymous shape)";
    }

    // Helpers ---------------------------------------------------------------------------

    /** A node as kg.shacl writes it: the IRI, a literal's lexical form, or _:label. */
    private static String text(Node node) {
        if (node.isURI()) {
            return node.getURI();
        }
        if (node.isLiteral()) {
            return node.getLiteralLexicalForm();
        }
        return "_:" + node.getBlankNodeLabel();
    }

    private static List<String> strings(JsonObject object, String key) {
        List<String> out = new ArrayList<>();
        if (object.hasKey(key)) {
            Iterator<JsonValue> values = object.getIterator(key);
            while (values.hasNext()) {
                out.add(values.next().getAsString().value());
            }
        }
        return out;
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        String name = error.getClass().getSimpleName();
        return message == null ? name : name + ": " + message.strip();
    }
}

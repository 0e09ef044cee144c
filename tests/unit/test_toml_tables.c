/*
 * Unit tests of the TOML parser (include/initdata/toml.h): arrays, inline
 * tables, tables and arrays of tables.  The machinery of the cases is in
 * toml_cases.h.
 */
#include "toml_cases.h"

/* ---- arrays ------------------------------------------------------------------ */

static void test_arrays(void **state)
{
    (void)state;
    static const ok_case cases[] = {
        OK("a = []", "{a:[]}"),
        OK("a = [ ]", "{a:[]}"),
        OK("a = [\n]", "{a:[]}"),
        OK("a = [ # c\n # d\n]", "{a:[]}"),
        OK("a = [1, 2, 3]", "{a:[i1,i2,i3]}"),
        OK("a = [1,2,3,]", "{a:[i1,i2,i3]}"),
        OK("a = [\"red\", 'yellow', \"\"\"green\"\"\"]", "{a:[s\"red\",s\"yellow\",s\"green\"]}"),
        OK("a = [ [ 1, 2 ], [3, 4, 5] ]", "{a:[[i1,i2],[i3,i4,i5]]}"),
        OK("a = [ [ 1, 2 ], [\"a\", \"b\", \"c\"] ]", "{a:[[i1,i2],[s\"a\",s\"b\",s\"c\"]]}"),
        /* Mixed types are allowed in TOML 1.0. */
        OK("a = [ 0.1, 0.2, 0.5, 1, 2, 5 ]", "{a:[f0.1,f0.2,f0.5,i1,i2,i5]}"),
        OK("a = [ \"all\", 'strings', \"\"\"are the same\"\"\", '''type''', 1, true ]",
           "{a:[s\"all\",s\"strings\",s\"are the same\",s\"type\",i1,true]}"),
        OK("a = [\n  1,\n  2, # c\n  # only a comment\n  3\n  ,\n]", "{a:[i1,i2,i3]}"),
        OK("a = [\r\n  1,\r\n  2,\r\n]\r\n", "{a:[i1,i2]}"),
        OK("a = [\t1\t,\t2\t]", "{a:[i1,i2]}"),
        OK("a = [ { x = 1, y = 2 }, { x = 3 }, {} ]", "{a:[{x:i1,y:i2},{x:i3},{}]}"),
        OK("a = [[[[[]]]]]", "{a:[[[[[]]]]]}"),
        OK("a = [[],[[]],[[],[]]]", "{a:[[],[[]],[[],[]]]}"),
        OK("a = [\"]\", ',', \"[\"]", "{a:[s\"]\",s\",\",s\"[\"]}"),
    };
    RUN_OK(cases);
    static const err_case bad[] = {
        E("a = [1,,2]", 1, 8, "invalid value"),
        E("a = [,]", 1, 6, "invalid value"),
        E("a = [,1]", 1, 6, "invalid value"),
        E("a = [1 2]", 1, 8, "expected ',' or ']'"),
        E("a = [1\n2]", 2, 1, "expected ',' or ']'"),
        E("a = [1, 2", 1, 10, "unterminated array"),
        E("a = [1, 2\n", 2, 1, "unterminated array"),
        E("a = [1, 2,\n# c\n", 3, 1, "expected a value"),
        E("a = [", 1, 6, "expected a value"),
        E("a = [1, 2]]", 1, 11, "newline"),
        E("a = [1, 2] 3", 1, 12, "newline"),
        E("a = [1 # c\n, 2 # d\n 3]", 3, 2, "expected ',' or ']'"),
        E("a = [1, \"x\ny\"]", 1, 11, "newline"),
        E("a = [1, 2}", 1, 10, "expected ',' or ']'"),
        E("a = [ # \x01\n]", 1, 9, "control character"),
    };
    RUN_ERR(bad);
}

/* ---- inline tables ----------------------------------------------------------- */

static void test_inline_tables(void **state)
{
    (void)state;
    static const ok_case cases[] = {
        OK("a = {}", "{a:{}}"),
        OK("a = { }", "{a:{}}"),
        OK("name = { first = \"Tom\", last = \"Preston-Werner\" }",
           "{name:{first:s\"Tom\",last:s\"Preston-Werner\"}}"),
        OK("point = { x = 1, y = 2 }", "{point:{x:i1,y:i2}}"),
        OK("animal = { type.name = \"pug\" }", "{animal:{type:{name:s\"pug\"}}}"),
        OK("a = { b.c = 1, b.d = 2, e = { f = [1, {g = 3}] } }",
           "{a:{b:{c:i1,d:i2},e:{f:[i1,{g:i3}]}}}"),
        OK("a={b=1,c=2}", "{a:{b:i1,c:i2}}"),
        OK("a = {\tb = 1\t,\tc = 2\t}", "{a:{b:i1,c:i2}}"),
        OK("a = { \"q.k\" = 1, 'l' = 2, \"\" = 3 }", "{a:{q.k:i1,l:i2,:i3}}"),
        OK("a = { b = \"\"\"x\ny\"\"\" }", "{a:{b:s\"x\\x0ay\"}}"),
        OK("a = { b = [\n1,\n2] }", "{a:{b:[i1,i2]}}"),
        OK("a.b = {c = 1}\na.d = 2", "{a:{b:{c:i1},d:i2}}"),
        OK("[t]\na = {b = 1}\n[t.c]\n", "{t:{a:{b:i1},c:{}}}"),
    };
    RUN_OK(cases);
}

static void test_inline_table_errors(void **state)
{
    (void)state;
    static const err_case cases[] = {
        /* TOML 1.1 relaxations, rejected in 1.0. */
        E10("a = {b = 1,}", 1, 11, "trailing comma"),
        E10("a = {b = 1, }", 1, 11, "trailing comma"),
        E10("a = {b = 1,\nc = 2}", 1, 12, "newlines are not allowed"),
        E10("a = {b = 1\n}", 1, 11, "newlines are not allowed"),
        E10("a = {b = 1\r\n}", 1, 11, "newlines are not allowed"),
        E10("a = {\n}", 1, 6, "newlines are not allowed"),
        E10("a = {\nb = 1}", 1, 6, "newlines are not allowed"),
        E10("a = {b = 1 # c\n}", 1, 12, "comments are not allowed"),
        E("a = {,}", 1, 6, "key"),
        E("a = {b = 1,,c = 2}", 1, 12, "key"),
        E("a = {b = 1 c = 2}", 1, 12, "expected ',' or '}'"),
        E("a = {b = 1", 1, 11, "unterminated inline table"),
        E("a = {b = 1]", 1, 11, "expected ',' or '}'"),
        E("a = {b}", 1, 7, "expected '='"),
        E("a = {b = }", 1, 10, "invalid value"),
        /* Duplicates inside. */
        E("a = {b = 1, b = 2}", 1, 13, "duplicate key"),
        E("a = {b.c = 1, b = 2}", 1, 15, "duplicate key"),
        E("a = {b = 1, b.c = 2}", 1, 13, "not a table"),
        E("a = {b.c = 1, b.c = 2}", 1, 17, "duplicate key"),
        E("a = {b = {c = 1}, b.d = 2}", 1, 19, "inline table"),
        /* Immutable once closed. */
        E("a = {b = 1}\n[a]\n", 2, 2, "cannot define table"),
        E("a = {b = 1}\n[a.c]\n", 2, 2, "inline table cannot be extended"),
        E("a = {b = 1}\na.c = 2\n", 2, 1, "inline table cannot be extended"),
        E("a = {b = 1}\na.b = 2\n", 2, 1, "inline table cannot be extended"),
        E("a = {}\n[a.b]\n", 2, 2, "inline table"),
        E("a = {b = {c = 1}}\n[a.b.d]\n", 2, 2, "inline table"),
        E("a = {b = {c = 1}}\na.b.d = 2\n", 2, 1, "inline table"),
        E("[t]\na = {b = 1}\n[t.a.c]\n", 3, 4, "inline table"),
        E("[t]\na = {b = 1}\n[t]\n", 3, 2, "cannot define table"),
        E("a = {b = 1}\n[[a]]\n", 2, 3, "cannot append a table to"),
        E("a = [{b = 1}]\n[[a]]\n", 2, 3, "cannot append a table to"),
        E("a = [{b = 1}]\n[a]\n", 2, 2, "cannot define table"),
        E("a = [{b = 1}]\n[a.b]\n", 2, 2, "cannot extend"),
    };
    RUN_ERR(cases);
}

/* ---- tables and arrays of tables --------------------------------------------- */

static void test_tables(void **state)
{
    (void)state;
    static const ok_case cases[] = {
        OK("[table]", "{table:{}}"),
        OK("[table-1]\nkey1 = \"some string\"\nkey2 = 123\n[table-2]\nkey1 = \"another\"\n",
           "{table-1:{key1:s\"some string\",key2:i123},table-2:{key1:s\"another\"}}"),
        OK("[dog.\"tater.man\"]\ntype.name = \"pug\"\n",
           "{dog:{tater.man:{type:{name:s\"pug\"}}}}"),
        OK("[a.b.c]\n[ d.e.f ]\n[ g .  h  . i ]\n[ j . \"\xca\x9e\" . 'l' ]\n",
           "{a:{b:{c:{}}},d:{e:{f:{}}},g:{h:{i:{}}},j:{\\xca\\x9e:{l:{}}}}"),
        /* Super-tables are created implicitly and may be defined later. */
        OK("[x.y.z.w]\n[x]\n", "{x:{y:{z:{w:{}}}}}"),
        OK("[x.y.z.w]\n[x.y]\na = 1\n[x]\nb = 2\n", "{x:{y:{z:{w:{}},a:i1},b:i2}}"),
        OK("[a.b]\nc = 1\n[a]\nd = 2\n", "{a:{b:{c:i1},d:i2}}"),
        /* Out of order. */
        OK("[fruit.apple]\n[animal]\n[fruit.orange]\n", "{fruit:{apple:{},orange:{}},animal:{}}"),
        /* Root keys before the first header. */
        OK("name = \"Fido\"\nbreed = \"pug\"\n[owner]\nname = \"Regina Dogman\"\n",
           "{name:s\"Fido\",breed:s\"pug\",owner:{name:s\"Regina Dogman\"}}"),
        /* Dotted keys make tables; [headers] may add sub-tables to them. */
        OK("fruit.apple.color = \"red\"\nfruit.apple.taste.sweet = true\n"
           "[fruit.apple.texture]\nsmooth = true\n",
           "{fruit:{apple:{color:s\"red\",taste:{sweet:true},texture:{smooth:true}}}}"),
        OK("[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n[fruit.apple.texture]\n",
           "{fruit:{apple:{color:s\"red\",taste:{sweet:true},texture:{}}}}"),
        /* A dotted key may extend a table that a header created implicitly. */
        OK("[a.b.c]\n[a]\nb.d = 1\n", "{a:{b:{c:{},d:i1}}}"),
        OK("[a.b.c]\nd = 1\n[a]\nb.e.f = 2\n", "{a:{b:{c:{d:i1},e:{f:i2}}}}"),
        OK("[a]\nb.c = 1\nb.d = 2\n[a.b.e]\n", "{a:{b:{c:i1,d:i2,e:{}}}}"),
        /* Keys of the same name in different tables. */
        OK("a = 1\n[t]\na = 2\n[t.a2]\na = 3\n", "{a:i1,t:{a:i2,a2:{a:i3}}}"),
        OK("[\"\"]\n[''.a]\n", "{:{a:{}}}"),
        OK("[a]\n[b]\na.c = 1\n", "{a:{},b:{a:{c:i1}}}"),
    };
    RUN_OK(cases);
}

static void test_table_errors(void **state)
{
    (void)state;
    static const err_case cases[] = {
        E("[a]\n[a]\n", 2, 2, "cannot define table \"a\""),
        E("[a]\n[a]\n", 2, 2, "first defined at 1:2"),
        E("[a]\nx = 1\n[b]\n[a]\n", 4, 2, "cannot define table"),
        E("[a.b]\n[a]\n[a]\n", 3, 2, "cannot define table"),
        E("[a.b]\n[a.b]\n", 2, 4, "cannot define table"),
        E("[a]\n[\"a\"]\n", 2, 2, "cannot define table"),
        E("a = 1\n[a]\n", 2, 2, "cannot define table"),
        E("a = 1\n[a.b]\n", 2, 2, "cannot extend"),
        E("a = [1]\n[a.b]\n", 2, 2, "cannot extend"),
        E("[a]\nb = 1\n[a.b]\n", 3, 4, "cannot define table"),
        E("[a]\nb.c = 1\n[a.b]\n", 3, 4, "cannot define table"),
        E("a.b.c = 1\n[a.b]\n", 2, 4, "cannot define table"),
        E("a.b = 1\n[a]\n", 2, 2, "cannot define table"),
        E("[a.b]\n[a]\nb.c = 1\n", 3, 1, "defined by a [header]"),
        E("[a]\n[a.b]\n[a]\nb.c = 1\n", 3, 2, "cannot define table"),
        E("[a.b.c]\n[a]\nb.c.d = 1\n", 3, 3, "defined by a [header]"),
        E("[a.b.c]\n[a]\nb.d = 1\n[a.b]\n", 4, 4, "cannot define table"),
        E("[a]\nb = 1\n[a]\nc = 2\n", 3, 2, "cannot define table"),
        /* Header syntax. */
        E("[]\n", 1, 2, "key"),
        E("[ ]\n", 1, 3, "key"),
        E("[a\n", 1, 3, "expected ']'"),
        E("[a", 1, 3, "expected ']'"),
        E("[a b]\n", 1, 4, "expected ']'"),
        E("[a]]\n", 1, 4, "newline"),
        E("[a] b = 1\n", 1, 5, "newline"),
        E("[a.]\n", 1, 4, "key"),
        E("[.a]\n", 1, 2, "key"),
        E("[a..b]\n", 1, 4, "key"),
        E("[ [a] ]\n", 1, 3, "key"),
        E("[a = 1]\n", 1, 4, "expected ']'"),
        E("[\"\"\"a\"\"\"]\n", 1, 2, "multi-line string cannot be a key"),
        E("[a]\n[\n", 2, 2, "key"),
        E("x = [a]\n", 1, 6, "invalid value"),
    };
    RUN_ERR(cases);
}

static void test_arrays_of_tables(void **state)
{
    (void)state;
    static const ok_case cases[] = {
        OK("[[products]]\nname = \"Hammer\"\nsku = 738594937\n\n[[products]]\n\n"
           "[[products]]\nname = \"Nail\"\ncolor = \"gray\"\n",
           "{products:[{name:s\"Hammer\",sku:i738594937},{},{name:s\"Nail\",color:s\"gray\"}]}"),
        OK("[[fruits]]\nname = \"apple\"\n[fruits.physical]\ncolor = \"red\"\n"
           "[[fruits.varieties]]\nname = \"red delicious\"\n[[fruits.varieties]]\n"
           "name = \"granny smith\"\n[[fruits]]\nname = \"banana\"\n[[fruits.varieties]]\n"
           "name = \"plantain\"\n",
           "{fruits:[{name:s\"apple\",physical:{color:s\"red\"},varieties:[{name:s\"red delicious\"},"
           "{name:s\"granny smith\"}]},{name:s\"banana\",varieties:[{name:s\"plantain\"}]}]}"),
        OK("[[a]]\n[a.b]\nc = 1\n[[a]]\n[a.b]\nc = 2\n", "{a:[{b:{c:i1}},{b:{c:i2}}]}"),
        OK("[[a.b]]\n[[a.b]]\n[a]\nc = 1\n", "{a:{b:[{},{}],c:i1}}"),
        OK("[[ a ]]\n[[ a ]]\n", "{a:[{},{}]}"),
        OK("[[a]]\nb.c = 1\n[[a]]\nb.c = 2\n", "{a:[{b:{c:i1}},{b:{c:i2}}]}"),
        OK("[[a]]\n[[a.b]]\n[[a.b]]\n[[a]]\n[[a.b]]\n", "{a:[{b:[{},{}]},{b:[{}]}]}"),
        OK("[t]\n[[t.a]]\nx = 1\n", "{t:{a:[{x:i1}]}}"),
    };
    RUN_OK(cases);
    static const err_case bad[] = {
        E("[[a]]\n[a]\n", 2, 2, "cannot define table"),
        E("[a]\n[[a]]\n", 2, 3, "cannot append a table to"),
        E("[a.b]\n[[a]]\n", 2, 3, "cannot append a table to"),
        E("a = []\n[[a]]\n", 2, 3, "cannot append a table to"),
        E("a = [1]\n[[a]]\n", 2, 3, "cannot append a table to"),
        E("a = 1\n[[a]]\n", 2, 3, "cannot append a table to"),
        E("a.b = 1\n[[a]]\n", 2, 3, "cannot append a table to"),
        E("[[a.b]]\n[a]\n[a.b]\n", 3, 4, "cannot define table"),
        E("[[a]]\n[a.b]\n[a.b]\n", 3, 4, "cannot define table"),
        E("[[a]]\nb = 1\nb = 2\n", 3, 1, "duplicate key"),
        E("[[a]]\n[[a]]\nb = 1\n[a.b]\n", 4, 4, "cannot define table"),
        E("[[a]\n", 1, 4, "expected ']]'"),
        E("[[a]] ]\n", 1, 7, "newline"),
        E("[[]]\n", 1, 3, "key"),
        E("[ [a]]\n", 1, 3, "key"),
        E("[[a] ]\n", 1, 4, "expected ']]'"),
        E("[[a]]\n[[a]]x\n", 2, 6, "newline"),
    };
    RUN_ERR(bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arrays),
        cmocka_unit_test(test_inline_tables),
        cmocka_unit_test(test_inline_table_errors),
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_table_errors),
        cmocka_unit_test(test_arrays_of_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

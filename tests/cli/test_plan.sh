# tests/cli/test_plan.sh — `hwledger plan`, `hwledger plan check` and
# `hwledger plan report`.

M=$ROOT/planner/models

plan() { (cd "$ROOT" && "$HW" plan "$@"); }

# Verifies: FR-PLAN-005
test_plan_json_has_every_documented_key() {
  run plan --model "$M/llama-3.1-8b.json" --ctx 8k --gpu "H100 SXM" --json
  expect_rc 0
  for k in schema attention params_total params_active weights_bytes kv_bytes_per_token \
      kv_bytes activation_bytes overhead_bytes total_bytes per_gpu_bytes fits utilization \
      band max_context max_batch decode_tokens_per_s_max assumptions; do
    jq -e --arg k "$k" 'has($k)' <<<"$OUT" >/dev/null || { echo "no key $k"; return 1; }
  done
  jq -e '.schema == "hwledger.plan/1" and .attention == "GQA" and .params_total == 8030261248
         and .kv_bytes_per_token == 131072 and .kv_bytes == 1073741824 and .fits == true
         and .band == "green" and (.assumptions | length) >= 4
         and .max_context == 131072 and .decode_tokens_per_s_max > 100' <<<"$OUT" >/dev/null
}

# Verifies: FR-PLAN-005
test_plan_table_has_a_stacked_bar() {
  run plan --model "$M/llama-3.1-70b.json" --tp 4 --ctx 32k --gpu "H100 SXM"
  expect_rc 0
  expect_out "per GPU"
  grep -qE '^\[W+K+A*O+\.+\] [0-9.]+% of 80.0 GiB: green$' <<<"$OUT" || { echo "$OUT"; return 1; }
  expect_out "max context 131072 tokens at batch 1"
  expect_out "assumptions:"
}

# Verifies: FR-PLAN-005
test_plan_exports_engine_flags() {
  run plan --model "$M/llama-3.1-70b.json" --tp 4 --ctx 32k --gpu "H100 SXM" --kv-dtype fp8 --export vllm
  expect_rc 0
  expect_out "--max-model-len 32768"
  expect_out "--tensor-parallel-size 4"
  expect_out "--kv-cache-dtype fp8"
  expect_out "--gpu-memory-utilization"
  run plan --model "$M/llama-3.1-8b.json" --ctx 8k --batch 4 --export llama.cpp
  expect_out "llama-server -m llama-3.1-8b.gguf -c 32768 -np 4 -ngl 999"
  run plan --model "$M/llama-3.1-8b.json" --export mlx
  expect_out "mlx_lm.generate --model llama-3.1-8b --max-kv-size 4096"
  run plan --model "$M/llama-3.1-8b.json" --export tgi
  expect_rc 2
}

# Verifies: FR-PLAN-005
test_plan_sweep_gives_the_grid() {
  run plan --model "$M/mistral-7b-v0.1.json" --gpu L4 --sweep 'ctx=1k..128k batch=1..64'
  expect_rc 0
  jq -e '.schema == "hwledger.sweep/1" and (.ctx | length) == 8 and (.batch | length) == 7
         and (.per_gpu_bytes | length) == 7 and (.per_gpu_bytes[0] | length) == 8
         and .per_gpu_bytes[6][7] > .per_gpu_bytes[0][0]' <<<"$OUT" >/dev/null
  run plan --model "$M/mistral-7b-v0.1.json" --sweep 'ctx=9..3'
  expect_rc 2
}

# Verifies: FR-REPORT-001
test_plan_report_writes_the_illustrations_planner_report_json_names() {
  local day
  mkdir -p repo/planner && cd repo
  cp -r "$ROOT/planner/models" planner/
  printf '%s\n' '{"schema": "hwledger.planner-report/1",
    "sweeps": [{"model": "planner/models/mistral-7b-v0.1.json", "gpu": "L4", "grid": "ctx=1k..8k batch=1..4"},
               {"model": "planner/models/llama-3.1-8b.json", "name": "eight", "grid": "ctx=1k..2k batch=1..2"}],
    "cheapest": {"model": "planner/models/llama-3.1-70b.json", "ctx": "8k"}}' > planner/report.json
  run "$HW" plan report -o out
  expect_rc 0
  expect_out "plan report: 3 illustrations of planner/report.json in out"
  # the bytes the plan commands print, one file each
  "$HW" plan --model planner/models/mistral-7b-v0.1.json --gpu L4 --sweep 'ctx=1k..8k batch=1..4' \
    --json > want
  cmp want out/sweep-mistral-7b-v0.1.json
  "$HW" plan --model planner/models/llama-3.1-8b.json --sweep 'ctx=1k..2k batch=1..2' --json > want
  cmp want out/sweep-eight.json
  day=$(jq -r .inputs.today out/cheapest.json)
  "$HW" plan --model planner/models/llama-3.1-70b.json --ctx 8k --cheapest --today "$day" --json > want
  cmp want out/cheapest.json
  # the whole file is checked before anything is written
  printf '%s\n' '{"schema": "hwledger.planner-report/1", "sweeps": [{"model": "planner/models/llama-3.1-8b.json", "grid": "ctx=1k..2k batch=1..2"}], "cheapest": {"model": "x.json", "colour": "red"}}' \
    > planner/report.json
  run "$HW" plan report -o fresh
  expect_rc 2
  expect_err 'hwledger: planner/report.json:1: cheapest: unknown key "colour"'
  [ ! -e fresh ] || { echo "something was written"; return 1; }
  # a part that fails names the file and the part
  printf '%s\n' '{"schema": "hwledger.planner-report/1", "sweeps": [{"model": "planner/models/llama-3.1-8b.json", "gpu": "No Such GPU", "grid": "ctx=1k..2k batch=1..2"}]}' \
    > planner/report.json
  run "$HW" plan report -o out
  expect_rc 2
  expect_err "hwledger: planner/report.json: sweep-llama-3.1-8b.json: "
  rm planner/report.json
  run "$HW" plan report
  expect_rc 2
  expect_err "planner/report.json"
  run "$HW" plan report --bogus
  expect_rc 2
  expect_err "plan report: unknown argument '--bogus'"
}

# Verifies: FR-PLAN-006
test_plan_check_passes_on_the_shipped_checks() {
  run plan check
  expect_rc 0
  expect_out "plan check: 30 checks, 0 failed"
  run plan check --json
  jq -e '.schema == "hwledger.plancheck-results/1" and .total == 30 and .failed == 0
         and (.checks | all(.ok and (.plan.schema == "hwledger.plan/1")))' <<<"$OUT" >/dev/null
}

# Verifies: FR-PLAN-001, FR-PLAN-003
test_plan_counts_the_published_parameters_of_real_configs() {
  # planner/models/*.json are published config.json files, unedited
  # (planner/models/README.md gives each one's origin and its count)
  local f n kv
  while read -r f n kv; do
    run plan --model "$M/$f.json" --json
    expect_rc 0
    jq -e --argjson n "$n" --argjson kv "$kv" \
      '.params_total == $n and .kv_bytes_per_token == $kv' <<<"$OUT" >/dev/null ||
      { echo "$f: $(jq -c '[.params_total, .kv_bytes_per_token]' <<<"$OUT"), published $n $kv"; return 1; }
  done <<'EOF'
deepseek-v2 235741434880 69120
deepseek-v3 671026419200 70272
falcon-7b 6921720704 8192
gemma-2b 2506172416 18432
gemma-2-9b 9241705984 344064
gpt2 124439808 36864
jamba-v0.1 51570323328 16384
llama-2-7b 6738415616 524288
llama-2-70b 68976648192 327680
llama-3-8b 8030261248 131072
llama-3.1-8b 8030261248 131072
llama-3.1-70b 70553706496 327680
llama-3.2-1b 1235814400 32768
mamba-2.8b-hf 2768345600 0
mamba-codestral-7b-v0.1 7285403648 0
mistral-7b-v0.1 7241732096 131072
mixtral-8x7b-v0.1 46702792704 131072
phi-3-mini-4k-instruct 3821079552 393216
pythia-160m 162322944 36864
qwen1.5-moe-a2.7b 14315784192 196608
qwen2-0.5b 494032768 12288
qwen2.5-0.5b 494032768 12288
qwen2.5-7b 7615616512 57344
qwen3-8b 8190735360 147456
qwen3-30b-a3b 30532122624 98304
EOF
}

# Verifies: FR-PLAN-001
test_plan_tie_default_is_the_architectures_own() {
  # Gemma 2's published config has no tie_word_embeddings: Gemma2Config
  # defaults to tied, and the plan says which default it took
  run plan --model "$M/gemma-2-9b.json" --json
  expect_rc 0
  jq -e '.assumptions | any(test("^tie_word_embeddings absent: tied, the default of transformers. gemma2 config class$"))' \
    <<<"$OUT" >/dev/null || { jq .assumptions <<<"$OUT"; return 1; }
  # LlamaConfig defaults to untied
  local base='"num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 4, "intermediate_size": 128, "vocab_size": 1000'
  printf '{"model_type": "llama", %s}' "$base" > llama.json
  run plan --model "$PWD/llama.json" --json
  jq -e '.params_total == 2 * (4 * 64 * 64 + 3 * 64 * 128 + 128) + 2 * 1000 * 64 + 64
         and (.assumptions | any(test("absent: untied, the default of transformers. llama config")))' <<<"$OUT" >/dev/null
  # given, it is taken as given and no default is assumed
  printf '{"model_type": "gemma2", "tie_word_embeddings": false, "head_dim": 16, %s}' "$base" > given.json
  run plan --model "$PWD/given.json" --json
  jq -e '.assumptions | all(test("tie_word_embeddings") | not)' <<<"$OUT" >/dev/null
}

# A model_type the planner has no shape for is refused, never counted as
# Llama: MiniMax-M2, Nemotron-H, ... came out silently wrong. A GGUF's
# architecture is still read: its headers give the count.
# Verifies: FR-PLAN-001
test_plan_refuses_a_model_type_it_does_not_model() {
  local base='"num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 4, "intermediate_size": 128, "vocab_size": 1000'
  printf '{"model_type": "minimax_m2", %s}' "$base" > mm2.json
  run plan --model "$PWD/mm2.json" --json
  expect_rc 2
  expect_err "mm2.json:1:16: \"model_type\" 'minimax_m2' is not an architecture the planner models"
  expect_err 'it models llama, mistral'
  expect_no_out
  # a multimodal config's text_config is what is read
  printf '{"model_type": "qwen3_vl", "text_config": {"model_type": "qwen3_vl_text", %s}}' "$base" > vl.json
  run plan --model "$PWD/vl.json"
  expect_rc 2
  expect_err "'qwen3_vl_text' is not an architecture the planner models"
  # the publisher's string is shown without its control characters
  printf '{"model_type": "a\\u001b[31mb", %s}' "$base" > esc.json
  run plan --model "$PWD/esc.json"
  expect_rc 2
  expect_err "'a?[31mb' is not an architecture"
}

# A multimodal config is planned from its text_config: the plan says that
# its vision (or audio) tower is not in the count, rather than passing the
# language model's figures off as the whole checkpoint's.
# Verifies: FR-PLAN-001
test_plan_says_a_multimodal_configs_towers_are_not_counted() {
  local text='"model_type": "mistral", "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "vocab_size": 100'
  printf '{"model_type": "mistral3", "text_config": {%s}, "vision_config": {"model_type": "pixtral"}}' "$text" > mm.json
  run plan --model "$PWD/mm.json" --json
  expect_rc 0
  jq -e '.params_total == 2 * (4 * 64 * 64 + 3 * 64 * 128 + 128) + 2 * 100 * 64 + 64
         and (.assumptions | any(test("^a multimodal config: only the language model of its text_config is counted")))' \
    <<<"$OUT" >/dev/null || { jq .assumptions <<<"$OUT"; return 1; }
  printf '{%s}' "$text" > text.json
  run plan --model "$PWD/text.json" --json
  jq -e '.assumptions | all(test("multimodal") | not)' <<<"$OUT" >/dev/null
  # gemma-3-4b-it's text_config leaves out what Gemma3TextConfig's
  # defaults give; the plan names the defaults it took
  printf '{"model_type": "gemma3", "text_config": {"hidden_size": 2560, "intermediate_size": 10240, "model_type": "gemma3_text", "num_hidden_layers": 34, "sliding_window": 1024}}' > g3.json
  run plan --model "$PWD/g3.json" --json
  expect_rc 0
  jq -e '.params_total == 3880263168
         and (.assumptions | any(. == "absent from the config, the defaults of transformers'"'"' gemma3_text config class: vocab_size 262208, num_attention_heads 8, num_key_value_heads 4, head_dim 256, max_position_embeddings 131072"))' \
    <<<"$OUT" >/dev/null || { jq .assumptions <<<"$OUT"; return 1; }
}

# A quantized checkpoint is sized by its own scheme: fp8 blocks with their
# scales, the embedding and head in 16 bits. A scheme whose bits the
# planner cannot read (bitsandbytes here) is refused at its line rather
# than planned as bf16, unless --quant says what to assume.
# Verifies: FR-PLAN-003
test_plan_sizes_fp8_and_refuses_a_quantization_it_cannot_size() {
  run plan --model "$M/deepseek-v3.json" --json
  expect_rc 0
  jq -e '(.weights_bytes / 1e9 | floor) == 673
         and (.assumptions | any(test("^weights: 8.002 bits per parameter \\(fp8\\)$")))
         and (.assumptions | any(test("^embeddings and output head stay in 16 bits$")))' \
    <<<"$OUT" >/dev/null || { jq -c '[.weights_bytes, .assumptions]' <<<"$OUT"; return 1; }
  # and named by its scheme, not by the dtype of its 16-bit parts
  jq -e '.inputs.quant == "fp8"' <<<"$OUT" >/dev/null
  run plan --model "$M/deepseek-v3.json"
  expect_out "weights fp8, KV fp16"
  printf '{\n  "model_type": "llama",\n  "num_hidden_layers": 2,\n  "hidden_size": 64,\n  "num_attention_heads": 4,\n  "intermediate_size": 128,\n  "vocab_size": 10,\n  "quantization_config": {\n    "load_in_4bit": true,\n    "quant_method": "bitsandbytes"\n  }\n}\n' > bnb.json
  run plan --model "$PWD/bnb.json"
  expect_rc 2
  expect_err "hwledger: $PWD/bnb.json:8:26: quantization_config (quant_method 'bitsandbytes') gives no \"bits\""
  expect_no_out
  run plan --model "$PWD/bnb.json" --quant int4 --json
  expect_rc 0
  jq -e '.inputs.quant == "int4"' <<<"$OUT" >/dev/null
  sed 's/"load_in_4bit": true,/"bits": 4,/; s/bitsandbytes/gptq/' bnb.json > gptq.json
  run plan --model "$PWD/gptq.json"
  expect_rc 0
  expect_out "weights gptq 4-bit, KV fp16"
}

# Kimi K2 (model_type kimi_k2) is DeepSeek-V3's architecture: its config
# names DeepseekV3ForCausalLM and the checkpoint's own DeepSeek-V3 code.
# Its published config.json (tests/fixtures/planner/README.md) counts
# 1,026,408,232,448 parameters, the count of its safetensors headers and
# of a provider's listing, 32,861,500,928 of them active ("32B activated").
# Verifies: FR-PLAN-001, FR-PLAN-003
test_plan_counts_kimi_k2_as_deepseek_v3() {
  cp -r "$FIXTURES/planner/kimi-k2-instruct" .
  run plan --model "$PWD/kimi-k2-instruct" --json
  expect_rc 0
  jq -e '.params_total == 1026408232448 and .params_active == 32861500928
         and .kv_bytes_per_token == 70272 and .attention == "MLA"
         and .inputs.quant == "fp8"' <<<"$OUT" >/dev/null ||
    { jq -c '[.params_total, .params_active, .kv_bytes_per_token, .attention, .inputs]' <<<"$OUT"; return 1; }
  # the same shape as DeepSeek-V3: its router's correction bias included
  sed 's/"kimi_k2"/"deepseek_v3"/' kimi-k2-instruct/config.json > v3.json
  run plan --model "$PWD/v3.json" --json
  jq -e '.params_total == 1026408232448' <<<"$OUT" >/dev/null
}

# NVIDIA's ModelOpt exports (nvidia/*-FP8, *-NVFP4) keep their
# quantization in hf_quant_config.json beside a config.json that names
# none: its quant_algo sizes the weights and its kv_cache_quant_algo the
# KV cache, never a silent bf16; its exclude_modules stay in 16 bits.
# Verifies: FR-PLAN-001, FR-PLAN-003
test_plan_reads_a_modelopt_hf_quant_config() {
  cp -r "$FIXTURES/planner/llama-3.1-70b-instruct-fp8" fp8
  run plan --model "$PWD/fp8" --json
  expect_rc 0
  # 68,451,041,280 layer values in 8 bits, the embedding, head, final
  # norm and the layers' norms (2,102,665,216 values) in 16
  jq -e '.weights_bytes == 72656371712 and .inputs.quant == "fp8"
         and .inputs.kv_dtype == "fp8" and .kv_bytes_per_token == 163840
         and (.assumptions | any(. == "weights: 8 bits per parameter (FP8, from hf_quant_config.json'"'"'s quant_algo, scales included)"))
         and (.assumptions | any(test("^KV cache in fp8 .*kv_cache_quant_algo FP8$")))' \
    <<<"$OUT" >/dev/null || { jq -c '[.weights_bytes, .inputs, .assumptions]' <<<"$OUT"; return 1; }
  # the table, --cheapest and the engine's command say the KV dtype the
  # plan was computed in
  run plan --model "$PWD/fp8"
  expect_out "weights fp8, KV fp8, TP 1"
  run plan --model "$PWD/fp8" --cheapest --top 1
  expect_out "weights fp8, KV fp8, engine vllm"
  run plan --model "$PWD/fp8" --export vllm
  expect_out "--kv-cache-dtype fp8"
  # the config.json itself finds it too; a config of another name does
  # not (its folder may hold many models)
  run plan --model "$PWD/fp8/config.json" --json
  jq -e '.weights_bytes == 72656371712' <<<"$OUT" >/dev/null
  cp fp8/config.json fp8/other.json
  run plan --model "$PWD/fp8/other.json" --json
  jq -e '.weights_bytes == 70553706496 * 2 and .inputs.quant == "bfloat16"' <<<"$OUT" >/dev/null
  # what the user chooses wins
  run plan --model "$PWD/fp8" --kv-dtype fp16 --quant bf16 --json
  jq -e '.kv_bytes_per_token == 327680 and .inputs.kv_dtype == "fp16"
         and .weights_bytes == 70553706496 * 2' <<<"$OUT" >/dev/null
  # NVFP4: 4-bit values and an fp8 scale per 16, 4.5 bits; the routers
  # its exclude_modules names (94 x 128 x 4096 values) in 16
  cp -r "$FIXTURES/planner/qwen3-235b-a22b-nvfp4" nvfp4
  run plan --model "$PWD/nvfp4" --json
  expect_rc 0
  jq -e '.params_total == 235093634560 and .weights_bytes == 134101359616
         and .inputs.quant == "nvfp4"
         and (.assumptions | any(. == "hf_quant_config.json'"'"'s exclude_modules keep 49283072 values of the layers in 16 bits"))' \
    <<<"$OUT" >/dev/null || { jq -c '[.weights_bytes, .assumptions]' <<<"$OUT"; return 1; }
  run plan --model "$PWD/nvfp4"
  expect_out "weights nvfp4"
  # DeepSeek-V3.1's keeps MLA's four input projections in 16 bits on
  # every layer (61 x 69,664,768 values); its MTP layer 61 is not built
  cp -r "$FIXTURES/planner/deepseek-v3.1-nvfp4" ds
  run plan --model "$PWD/ds" --json
  jq -e '.weights_bytes == 386226739360 and .kv_bytes_per_token == 35136
         and (.assumptions | any(test("keep 4249550848 values")))' \
    <<<"$OUT" >/dev/null || { jq -c '[.weights_bytes, .assumptions]' <<<"$OUT"; return 1; }
}

# Newer ModelOpt exports (nvidia/Kimi-K2.5-NVFP4, -K2.6-NVFP4, ...) write
# the same settings into config.json's quantization_config (quant_method
# modelopt, quant_algo, kv_cache_scheme, config_groups, ignore): they are
# sized by the same table as hf_quant_config.json's, not refused. The
# figures: 1,024,059,415,040 layer values, those ignore keeps and the
# layers' norms (61 x 16,384, those of layer 0 in K2.6's whole layer) in
# 16 bits, the rest in 4.5 bits; the embedding, head and final norm
# (2,348,817,408) in 16; MLA's latent cache in fp8, 61 x 576 bytes.
# Verifies: FR-PLAN-001, FR-PLAN-003
test_plan_reads_modelopt_settings_written_in_config_json() {
  cp -r "$FIXTURES/planner/kimi-k2.5-nvfp4" k25
  run plan --model "$PWD/k25" --json
  expect_rc 0
  # every layer's self_attn (61 x 101,122,048 values) in 16 bits; the
  # vision tower and projector it names are not in the plan
  jq -e '.params_total == 1026408232448 and .weights_bytes == 589599632032
         and .kv_bytes_per_token == 35136
         and .inputs.quant == "nvfp4" and .inputs.kv_dtype == "fp8"
         and (.assumptions | any(. == "weights: 4.5 bits per parameter (NVFP4, from quantization_config'"'"'s quant_algo, scales included)"))
         and (.assumptions | any(. == "KV cache in fp8 (1 bytes per value), quantization_config'"'"'s kv_cache_scheme FP8"))
         and (.assumptions | any(. == "quantization_config'"'"'s ignore keep 6168444928 values of the layers in 16 bits"))
         and (.assumptions | any(. == "2 of ignore name modules outside the language model, which the plan does not count"))
         and (.assumptions | all(test("not sized") | not))' \
    <<<"$OUT" >/dev/null || { jq -c '[.weights_bytes, .kv_bytes_per_token, .inputs, .assumptions]' <<<"$OUT"; return 1; }
  run plan --model "$PWD/k25/config.json"
  expect_rc 0
  expect_out "weights nvfp4, KV fp8"
  run plan --model "$PWD/k25" --export vllm
  expect_out "--kv-cache-dtype fp8"
  # K2.6 keeps layer 0 whole (497,500,160) and the self_attn and shared
  # experts of layers 1-60 (60 x 145,162,240); its hf_quant_config.json
  # says the same, and read alone gives the same bytes
  cp -r "$FIXTURES/planner/kimi-k2.6-nvfp4" k26
  run plan --model "$PWD/k26" --json
  expect_rc 0
  jq -e '.weights_bytes == 593967868576 and .kv_bytes_per_token == 35136
         and (.assumptions | any(. == "quantization_config'"'"'s ignore keep 9207234560 values of the layers in 16 bits"))' \
    <<<"$OUT" >/dev/null || { jq -c '[.weights_bytes, .assumptions]' <<<"$OUT"; return 1; }
  jq 'del(.quantization_config)' k26/config.json > k26/c && mv k26/c k26/config.json
  run plan --model "$PWD/k26" --json
  jq -e '.weights_bytes == 593967868576 and .inputs.kv_dtype == "fp8"
         and (.assumptions | any(. == "hf_quant_config.json'"'"'s exclude_modules keep 9207234560 values of the layers in 16 bits"))' \
    <<<"$OUT" >/dev/null || { jq -c '[.weights_bytes, .assumptions]' <<<"$OUT"; return 1; }
  # K2.7-Code also names the embedding, which stays in 16 bits anyway
  cp -r "$FIXTURES/planner/kimi-k2.7-code-nvfp4" k27
  run plan --model "$PWD/k27" --json
  jq -e '.weights_bytes == 593967868576
         and (.assumptions | all(test("not sized") | not))' \
    <<<"$OUT" >/dev/null || { jq -c '[.weights_bytes, .assumptions]' <<<"$OUT"; return 1; }
  # what the table lacks is refused at its line in config.json, exit 2,
  # unless --quant or --kv-dtype says what to assume
  sed '103s/"NVFP4"/"MIXED_PRECISION"/; 106s/8/4/' k25/config.json > k25/c && mv k25/c k25/config.json
  run plan --model "$PWD/k25"
  expect_rc 2
  expect_err "hwledger: $PWD/k25/config.json:103:23: \"quant_algo\" 'MIXED_PRECISION' is not a scheme the planner can size"
  expect_no_out
  run plan --model "$PWD/k25" --quant int4
  expect_rc 2
  expect_err "hwledger: $PWD/k25/config.json:104:28: \"kv_cache_scheme\" 'num_bits 4, type float' is not a KV cache dtype the planner knows (FP8, INT8); give --kv-dtype"
  run plan --model "$PWD/k25" --quant int4 --kv-dtype fp8 --json
  expect_rc 0
  jq -e '.inputs.quant == "int4" and .kv_bytes_per_token == 35136' <<<"$OUT" >/dev/null
}

# A multimodal config may write its quantization_config in its
# text_config alone: vLLM reads it there when the config has none of its
# own (ModelConfig._verify_quantization, "Check the text config as well
# for multi-modal models"), and so does the plan, never a silent bf16.
# moonshotai/Kimi-K2.5 writes its INT4 compressed-tensors settings only
# there: refused at that line (exit 2), not planned as 2,052,816,464,896
# bytes of bf16. A ModelOpt export written the same way is sized.
# Verifies: FR-PLAN-001, FR-PLAN-003
test_plan_reads_a_quantization_config_inside_text_config() {
  cp -r "$FIXTURES/planner/kimi-k2.5" k25
  run plan --model "$PWD/k25"
  expect_rc 2
  expect_err "hwledger: $PWD/k25/config.json:95:28: quantization_config (quant_method 'compressed-tensors') gives no \"bits\""
  expect_no_out
  run plan --model "$PWD/k25" --quant int4 --json
  expect_rc 0
  jq -e '.params_total == 1026408232448 and .inputs.quant == "int4"' <<<"$OUT" >/dev/null
  # nvidia/Kimi-K2.5-NVFP4's settings moved into its text_config: the
  # same plan as where NVIDIA wrote them
  mkdir n
  jq '.text_config.quantization_config = .quantization_config | del(.quantization_config)' \
    "$FIXTURES/planner/kimi-k2.5-nvfp4/config.json" > n/config.json
  run plan --model "$PWD/n" --json
  expect_rc 0
  jq -e '.weights_bytes == 589599632032 and .kv_bytes_per_token == 35136
         and .inputs.quant == "nvfp4" and .inputs.kv_dtype == "fp8"
         and (.assumptions | any(. == "quantization_config'"'"'s ignore keep 6168444928 values of the layers in 16 bits"))' \
    <<<"$OUT" >/dev/null || { jq -c '[.weights_bytes, .inputs, .assumptions]' <<<"$OUT"; return 1; }
  # the config's own quantization_config wins over its text_config's
  jq '.text_config.quantization_config = {"quant_method": "modelopt", "quant_algo": "FP8"}' \
    "$FIXTURES/planner/kimi-k2.5-nvfp4/config.json" > n/config.json
  run plan --model "$PWD/n" --json
  jq -e '.weights_bytes == 589599632032' <<<"$OUT" >/dev/null
  # a refusal names the line in the text_config
  jq '.text_config.quantization_config = (.quantization_config | .quant_algo = "MIXED_PRECISION") | del(.quantization_config)' \
    "$FIXTURES/planner/kimi-k2.5-nvfp4/config.json" > n/config.json
  line=$(grep -n '"MIXED_PRECISION"' n/config.json | cut -d: -f1)
  run plan --model "$PWD/n"
  expect_rc 2
  expect_err "hwledger: $PWD/n/config.json:$line:"
  expect_err "\"quant_algo\" 'MIXED_PRECISION' is not a scheme"
  jq '.text_config.quantization_config = {"quant_method": "gptq", "bits": -4} | del(.quantization_config)' \
    "$FIXTURES/planner/kimi-k2.5-nvfp4/config.json" > n/config.json
  line=$(grep -n '"bits": -4' n/config.json | cut -d: -f1)
  run plan --model "$PWD/n"
  expect_rc 2
  expect_err "hwledger: $PWD/n/config.json:$line:15: \"bits\" must be a non-negative integer"
}

# quant_algo and kv_cache_quant_algo are names in any case: vLLM
# upper-cases both before it looks them up (ModelOptQuantConfigBase.
# from_config, "ModelOpt may emit lowercase"), so "nvfp4" is NVFP4, never
# refused and never bf16.
# Verifies: FR-PLAN-003
test_plan_reads_a_modelopt_quant_algo_in_any_case() {
  cp -r "$FIXTURES/planner/kimi-k2.5-nvfp4" k25
  sed '103s/"NVFP4"/"nvfp4"/' k25/config.json > k25/c && mv k25/c k25/config.json
  grep -q '"quant_algo": "nvfp4"' k25/config.json
  run plan --model "$PWD/k25" --json
  expect_rc 0
  jq -e '.weights_bytes == 589599632032 and .inputs.quant == "nvfp4"
         and .inputs.kv_dtype == "fp8"' \
    <<<"$OUT" >/dev/null || { jq -c '[.weights_bytes, .inputs]' <<<"$OUT"; return 1; }
  mkdir m && cp "$FIXTURES/planner/llama-3.1-70b-instruct-fp8/config.json" m/
  printf '{"quantization": {"quant_algo": "Fp8", "kv_cache_quant_algo": "fp8"}}' > m/hf_quant_config.json
  run plan --model "$PWD/m" --json
  expect_rc 0
  jq -e '.weights_bytes == 72656371712 and .inputs.quant == "fp8"
         and .inputs.kv_dtype == "fp8"' \
    <<<"$OUT" >/dev/null || { jq -c '[.weights_bytes, .inputs]' <<<"$OUT"; return 1; }
  printf '{"quantization": {"quant_algo": "no_quant"}}' > m/hf_quant_config.json
  run plan --model "$PWD/m" --json
  expect_rc 0
  jq -e '.weights_bytes == 70553706496 * 2' <<<"$OUT" >/dev/null
}

# ModelOpt quantizes linear layers only: every layer's norms stay in 16
# bits, as the embedding, head and final norm do. Llama-3.1-70B-FP8: of
# its 70,553,706,496 values, 68,451,041,280 are linear layers' (8 bits)
# and 2,102,665,216 the embedding, head, final norm and the 80 layers'
# two norms (80 x 16,384 = 1,310,720 values) in 16: 72,656,371,712 bytes.
# Verifies: FR-PLAN-003
test_plan_keeps_the_layer_norms_of_a_modelopt_checkpoint_in_16_bits() {
  cp -r "$FIXTURES/planner/llama-3.1-70b-instruct-fp8" fp8
  run plan --model "$PWD/fp8" --json
  expect_rc 0
  jq -e '.weights_bytes == 68451041280 + 2102665216 * 2
         and (.assumptions | any(. == "layer norms (1310720 values) stay in 16 bits, as ModelOpt leaves them"))' \
    <<<"$OUT" >/dev/null || { jq -c '[.weights_bytes, .assumptions]' <<<"$OUT"; return 1; }
  # and per GPU: TP 2 holds half of each; PP 2 splits the layers' norms
  run plan --model "$PWD/fp8" --tp 2 --json
  jq -e '.per_gpu_bytes - .kv_bytes / 2 - .activation_bytes / 2 - .overhead_bytes / 2 - (68451041280 + 2102665216 * 2) / 2 | fabs < 1' \
    <<<"$OUT" >/dev/null || { jq -c '[.per_gpu_bytes, .kv_bytes, .activation_bytes, .overhead_bytes]' <<<"$OUT"; return 1; }
  # NVFP4 (4.5 bits): Qwen3-235B-A22B's 94 layers' two norms and q_norm
  # and k_norm (94 x 8,448 values) in 16 bits too
  cp -r "$FIXTURES/planner/qwen3-235b-a22b-nvfp4" nvfp4
  run plan --model "$PWD/nvfp4" --json
  jq -e '.weights_bytes == 134101359616' <<<"$OUT" >/dev/null ||
    { jq -c '[.weights_bytes, .assumptions]' <<<"$OUT"; return 1; }
  # --quant says how every layer value is stored, norms included
  run plan --model "$PWD/fp8" --quant fp8 --json
  jq -e '.assumptions | all(test("^layer norms") | not)' <<<"$OUT" >/dev/null
}

# An hf_quant_config.json whose algorithm the planner cannot size is
# refused naming the file, the line and the value (exit 2), unless
# --quant or --kv-dtype says what to assume.
# Verifies: FR-PLAN-001, FR-PLAN-003
test_plan_refuses_an_hf_quant_algo_it_cannot_size() {
  mkdir m && cp "$FIXTURES/planner/llama-3.1-70b-instruct-fp8/config.json" m/
  printf '{\n  "producer": {"name": "modelopt"},\n  "quantization": {\n    "quant_algo": "MIXED_PRECISION",\n    "kv_cache_quant_algo": "FP8"\n  }\n}\n' > m/hf_quant_config.json
  run plan --model "$PWD/m"
  expect_rc 2
  expect_err "hwledger: $PWD/m/hf_quant_config.json:4:19: \"quant_algo\" 'MIXED_PRECISION' is not a scheme the planner can size"
  # the schemes it does size, from the table that sizes them
  expect_err "(it sizes FP8, NVFP4, W4A16_AWQ and W4A8_AWQ)"
  expect_no_out
  run plan --model "$PWD/m" --quant int4 --json
  expect_rc 0
  jq -e '.inputs.quant == "int4" and .inputs.kv_dtype == "fp8"' <<<"$OUT" >/dev/null
  printf '{\n  "quantization": {\n    "quant_algo": null,\n    "kv_cache_quant_algo": "NVFP4"\n  }\n}\n' > m/hf_quant_config.json
  run plan --model "$PWD/m"
  expect_rc 2
  expect_err "hwledger: $PWD/m/hf_quant_config.json:4:28: \"kv_cache_quant_algo\" 'NVFP4' is not a KV cache dtype"
  # quant_algo null: the weights as stored (bf16)
  run plan --model "$PWD/m" --kv-dtype fp8 --json
  expect_rc 0
  jq -e '.weights_bytes == 70553706496 * 2' <<<"$OUT" >/dev/null
  printf '{\n  "producer": {"name": "modelopt"}\n}\n' > m/hf_quant_config.json
  run plan --model "$PWD/m"
  expect_rc 2
  expect_err "hwledger: $PWD/m/hf_quant_config.json:1: no \"quantization\" object"
  # the publisher's strings are shown without control characters
  printf '{"quantization": {"quant_algo": "W\\u001b[31m", "kv_cache_quant_algo": "FP8"}}' > m/hf_quant_config.json
  run plan --model "$PWD/m"
  expect_rc 2
  expect_err "\"quant_algo\" 'W?[31m' is not a scheme"
  printf '{"quantization": {"quant_algo": "FP8", "exclude_modules": ["a\\u001b[31mb"]}}' > m/hf_quant_config.json
  run plan --model "$PWD/m" --json
  jq -e '.assumptions | any(. == "1 of exclude_modules not sized (first: a?[31mb): planned at 8 bits")' <<<"$OUT" >/dev/null ||
    { jq .assumptions <<<"$OUT"; return 1; }
  printf '{"quantization": {"quant_algo": 4}}' > m/hf_quant_config.json
  run plan --model "$PWD/m"
  expect_rc 2
  expect_err "hf_quant_config.json:1:33: \"quant_algo\" and \"kv_cache_quant_algo\" are a string or null"
}

# A refusal of a config names the line (and column) of the key it is
# about, in the text_config where the model is read from there; a key
# that is missing points at the object that lacks it.
# Verifies: FR-PLAN-001
test_plan_config_refusals_name_the_line_of_their_key() {
  printf '{\n  "model_type": "llava",\n  "text_config": {\n    "hidden_size": 64,\n    "model_type": "phimoe",\n    "vocab_size": 10\n  }\n}\n' > mm.json
  run plan --model "$PWD/mm.json"
  expect_rc 2
  expect_err "hwledger: $PWD/mm.json:5:19: \"model_type\" 'phimoe' is not"
  printf '{\n  "model_type": "llava",\n  "text_config": {\n    "hidden_size": 64,\n    "vocab_size": 10\n  }\n}\n' > miss.json
  run plan --model "$PWD/miss.json"
  expect_rc 2
  expect_err "hwledger: $PWD/miss.json:3:18: missing or zero \"num_hidden_layers\""
  printf '{\n  "model_type": "llama",\n  "num_hidden_layers": 2,\n  "hidden_size": 64,\n  "num_attention_heads": 4,\n  "intermediate_size": 128,\n  "vocab_size": 10,\n  "quantization_config": {\n    "bits": 0\n  }\n}\n' > q.json
  run plan --model "$PWD/q.json"
  expect_rc 2
  expect_err "hwledger: $PWD/q.json:9:13: \"bits\" is 0"
  # a folder's config.json the same
  mkdir dir && cp mm.json dir/config.json
  run plan --model "$PWD/dir"
  expect_rc 2
  expect_err "hwledger: $PWD/dir/config.json:5:19: \"model_type\" 'phimoe'"
}

# transformers writes the non-finite floats Python's json allows as bare
# Infinity and NaN (Mamba-2's "time_step_limit": [0.0, Infinity], which
# the Hub itself flags as invalid JSON): such a config is read, and a key
# the planner needs that holds one is refused naming it.
# Verifies: FR-PLAN-001
test_plan_reads_the_non_finite_floats_python_writes() {
  local base='"hidden_size": 64, "num_attention_heads": 4, "intermediate_size": 128, "vocab_size": 1000'
  printf '{"model_type": "llama", "num_hidden_layers": 2, "x": [0.0, Infinity, -Infinity, NaN],\n "s": "NaN Infinity", %s}' "$base" > inf.json
  run plan --model "$PWD/inf.json" --json
  expect_rc 0
  jq -e '.params_total == 2 * (4 * 64 * 64 + 3 * 64 * 128 + 128) + 2 * 1000 * 64 + 64' <<<"$OUT" >/dev/null
  printf '{"model_type": "llama",\n "num_hidden_layers": Infinity, %s}' "$base" > inf2.json
  run plan --model "$PWD/inf2.json"
  expect_rc 2
  expect_err 'inf2.json:2:23: "num_hidden_layers" must be a non-negative integer'
  printf '{"model_type": "llama", "num_hidden_layers": NaN, %s}' "$base" > nan.json
  run plan --model "$PWD/nan.json"
  expect_rc 2
  expect_err '"num_hidden_layers" must be a non-negative integer'
  # a broken file still names its line
  printf '{"model_type": "llama",\n "num_hidden_layers": Infinity,,\n}' > broken.json
  run plan --model "$PWD/broken.json"
  expect_rc 2
  expect_err "broken.json:2:"
}

# Verifies: FR-PLAN-006
test_plan_check_fails_on_a_wrong_expectation() {
  mkdir checks
  printf '{"name": "wrong on purpose", "model": "%s/llama-2-7b.json", "inputs": {"ctx": 1024},
           "expect": {"kv_bytes_per_token": 131072, "attention": "MHA"}}\n' "$M" > checks/a.json
  run "$HW" -C "$ROOT" plan check "$PWD/checks"
  expect_rc 1
  expect_out "FAIL wrong on purpose"
  expect_out "kv_bytes_per_token: got 524288, expected 131072"
  ! grep -q "attention:" <<<"$OUT" || return 1
}

# The lists of layers with and without experts (Qwen-MoE's
# mlp_only_layers, Llama 4's moe_layers) hold layer indices: anything else
# is refused at its key, naming the list and the indices there are.
# Verifies: FR-PLAN-001
test_plan_refuses_a_layer_list_that_names_no_layer() {
  for spec in 'qwen3_moe|mlp_only_layers|[0, 9]' 'llama4_text|moe_layers|[0, 1.5]'; do
    IFS='|' read -r t k v <<<"$spec"
    printf '{"model_type": "%s", "num_hidden_layers": 4, "hidden_size": 64, "num_attention_heads": 4, "num_key_value_heads": 4, "intermediate_size": 128, "vocab_size": 10, "num_experts": 4, "num_local_experts": 4, "num_experts_per_tok": 2, "moe_intermediate_size": 32, "intermediate_size_mlp": 128, "%s": %s}\n' "$t" "$k" "$v" > "$k.json"
    run "$HW" plan --model "$PWD/$k.json"
    expect_rc 2
    expect_err ":1:"
    expect_err "\"$k\" holds a value that is not a layer index (0 to 3)"
  done
}

# Verifies: FR-PLAN-001
test_plan_bad_models_and_options_exit_2() {
  printf '{"hidden_size": 4096}' > bad.json
  run plan --model "$PWD/bad.json"
  expect_rc 2
  expect_err "bad.json:1: missing or zero \"num_hidden_layers\""
  run plan --model "$M/llama-3.1-8b.json" --tp 3
  expect_rc 2
  expect_err "--tp 3 does not divide the 32 attention heads"
  run plan --model "$M/llama-3.1-8b.json" --gpu "TPU v9"
  expect_rc 2
  expect_err "no GPU named 'TPU v9'"
  # a name the catalog lacks: the built-in catalog names no file of the
  # user's, and the names to pick from follow (those that hold it first)
  run "$HW" plan --model "$M/llama-3.1-8b.json" --gpu h100
  expect_rc 2
  expect_err "hwledger: no GPU named 'h100' in the built-in catalog (a project's own planner/gpus.json replaces it); did you mean: H100 SXM, H100 PCIe, H100 NVL"
  run "$HW" plan --model "$M/llama-3.1-8b.json" --engine vlm
  expect_rc 2
  expect_err "hwledger: no engine named 'vlm' in the built-in catalog (a project's own planner/engines.json replaces it); its names: vllm, llama.cpp, mlx"
  # in this repository, its own catalog
  run plan --model "$M/llama-3.1-8b.json" --gpu h100
  expect_err "hwledger: planner/gpus.json: no GPU named 'h100' in this catalog; did you mean: H100 SXM, H100 PCIe, H100 NVL"
  run plan --model "$M/llama-3.1-8b.json" --quant q9
  expect_rc 2
  expect_err "hwledger: unknown quantization 'q9': one of fp32, float32, fp16,"
  run plan --model "$M/llama-3.1-8b.json" --ctx lots
  expect_rc 2
  run plan
  expect_rc 2
  expect_err "plan needs --model PATH"
  printf 'GGUF\3\0\0\0' > broken.gguf
  run plan --model "$PWD/broken.gguf"
  expect_rc 2
  expect_err "broken.gguf"
}

# Verifies: FR-PLAN-001, FR-PLAN-003
test_plan_refuses_sizes_over_64_bits_and_zero_keys() {
  # hidden_size 2^31 with 2^20 heads wrapped a signed product: a negative
  # weight size and exit 0 (an UBSan report in the sanitizer build)
  local base='"model_type": "llama", "num_hidden_layers": 32, "intermediate_size": 14336, "vocab_size": 128256'
  printf '{%s, "hidden_size": 2147483648, "num_attention_heads": 1048576}' "$base" > huge.json
  run plan --model "$PWD/huge.json" --json
  expect_rc 2
  expect_err "huge.json:1:115: the parameter count is over 2^63"
  expect_no_out
  # the largest values a key may hold, every product at once
  printf '{%s, "hidden_size": 1000000000000, "num_attention_heads": 1000000000000,
    "num_local_experts": 1000000000000, "num_experts_per_tok": 1000000000000,
    "moe_intermediate_size": 1000000000000, "n_shared_experts": 1000000000000}' "$base" > max.json
  run plan --model "$PWD/max.json"
  expect_rc 2
  expect_err "max.json:1:115: the parameter count is over 2^63"
  # a size that fits still plans
  printf '{%s, "hidden_size": 4096, "num_attention_heads": 32}' "$base" > ok.json
  run plan --model "$PWD/ok.json" --json
  expect_rc 0
  jq -e '.params_total > 0 and .weights_bytes > 0' <<<"$OUT" >/dev/null
  # absent means MHA, hidden / heads, the dtype's bits; 0 means nothing
  local k
  for k in '"num_key_value_heads": 0' '"num_kv_heads": 0' '"head_dim": 0' \
           '"quantization_config": {"quant_method": "gptq", "bits": 0}'; do
    printf '{%s, "hidden_size": 4096, "num_attention_heads": 32, %s}' "$base" "$k" > zero.json
    run plan --model "$PWD/zero.json"
    expect_rc 2
    expect_err "zero.json:1:"
    expect_err ": \"$(sed 's/.*"\([a-z_]*\)": 0.*/\1/' <<<"$k")\" is 0: give a positive integer or leave the key out"
  done
}

# Verifies: FR-PLAN-007
test_plan_cheapest_lists_priced_layouts_that_fit() {
  run plan --model "$M/llama-3.1-70b.json" --ctx 8k --cheapest --json
  expect_rc 0
  jq -e '.schema == "hwledger.cheapest/1" and .prices >= 20
         and (.configurations | length) == 10
         and ([.configurations[].usd_per_hour] | . == sort)
         and (.configurations | all(.utilization <= 1 and .gpus == .tp * .pp
              and (.price_source | startswith("https://"))
              and (.price_as_of | test("^20[0-9]{2}-[01][0-9](-[0-3][0-9])?$"))
              and ((.usd_per_hour - ((.gpus / .price_unit_gpus) | ceil) * .price_usd_per_unit_hour) | fabs) < 1e-9
              and ((.usd_per_million_tokens - .usd_per_hour * 1e6 / 3600 / .decode_tokens_per_s_max) | fabs) < 1e-3))' \
    <<<"$OUT" >/dev/null || { echo "$OUT"; return 1; }
  # the cheapest layout is a plan that fits on its own
  local gpu tp pp bytes
  gpu=$(jq -r '.configurations[0].gpu' <<<"$OUT")
  tp=$(jq -r '.configurations[0].tp' <<<"$OUT")
  pp=$(jq -r '.configurations[0].pp' <<<"$OUT")
  bytes=$(jq -r '.configurations[0].per_gpu_bytes' <<<"$OUT")
  run plan --model "$M/llama-3.1-70b.json" --ctx 8k --gpu "$gpu" --tp "$tp" --pp "$pp" --json
  jq -e --argjson b "$bytes" '.fits == true and .per_gpu_bytes == $b' <<<"$OUT" >/dev/null
  run plan --model "$M/llama-3.1-70b.json" --ctx 8k --cheapest --top 3
  expect_rc 0
  expect_out "the 3 cheapest:"
  [ "$(grep -cE '^ +[0-9]+\.[0-9]{2} +[0-9]+\.[0-9]{2} +[0-9]+ ' <<<"$OUT")" = 3 ] || { echo "$OUT"; return 1; }
  expect_out "they move daily"
  # prices age: more than 180 days before --today is stale, and said so
  run plan --model "$M/llama-3.1-70b.json" --ctx 8k --cheapest --json --today 2027-06-01
  jq -e '.inputs.today == "2027-06-01" and (.configurations | all(.price_stale and .price_age_days > 180))' \
    <<<"$OUT" >/dev/null
  run plan --model "$M/llama-3.1-70b.json" --ctx 8k --cheapest --json --today 2026-06-30 --top 100
  jq -e '.configurations | map(select(.price_as_of == "2026-05-22")) | length > 0
         and all(.price_age_days == 39 and (.price_stale | not))' <<<"$OUT" >/dev/null
  run plan --model "$M/llama-3.1-70b.json" --ctx 8k --cheapest --top 3 --today 2027-06-01
  expect_out "(stale)"
  expect_out "3 of these prices are more than 180 days old on 2027-06-01"
}

# Verifies: FR-PLAN-007
test_plan_cheapest_refuses_and_fails_honestly() {
  run plan --model "$M/llama-3.1-70b.json" --cheapest --max-util 0.001
  expect_rc 1
  expect_err "no priced GPU configuration fits this plan"
  run plan --model "$M/llama-3.1-70b.json" --cheapest --gpu L4
  expect_rc 2
  expect_err "--cheapest chooses the GPU"
  run plan --model "$M/llama-3.1-70b.json" --cheapest --max-util 1.5
  expect_rc 2
  run plan --model "$M/llama-3.1-70b.json" --cheapest --today 2026-13-01
  expect_rc 2
  expect_err "--today must be a real date, YYYY-MM-DD, not '2026-13-01'"
  # a catalog whose price has no date is refused, naming the entry
  mkdir -p planner
  cp "$ROOT/planner/engines.json" planner/
  jq '.prices[1] |= del(.as_of)' "$ROOT/planner/gpus.json" > planner/gpus.json
  run "$HW" plan --model "$M/llama-3.1-70b.json" --cheapest
  expect_rc 2
  # at the entry's line: jq writes each entry's "{" on a line of its own
  expect_err "planner/gpus.json:$(awk '/"prices"/ {p = 1} p && /^    \{$/ && ++n == 2 {print NR; exit}' planner/gpus.json): prices[1]: \"as_of\" must be a date"
}

# A newcomer's mistakes on the plan line: a misspelt flag is unknown (it
# was "--jsn needs a value", or "bad argument '--jsn --model'"), and a
# count out of range says what it must be.
# Verifies: FR-CLI-001
test_plan_names_an_unknown_option_and_what_a_count_must_be() {
  run "$HW" plan --model "$M/llama-3.1-8b.json" --jsn
  expect_rc 2
  expect_err "hwledger: plan: unknown argument '--jsn'"
  run "$HW" plan --jsn --model "$M/llama-3.1-8b.json"
  expect_rc 2
  expect_err "hwledger: plan: unknown argument '--jsn'"
  run "$HW" plan --model "$M/llama-3.1-8b.json" --gpu="H100 SXM"
  expect_rc 2
  expect_err "hwledger: plan: unknown argument '--gpu=H100 SXM'"
  run "$HW" plan --model "$M/llama-3.1-8b.json" --tp 0
  expect_rc 2
  expect_err "hwledger: --tp needs a whole number from 1 to 1024, not '0'"
  run "$HW" plan --model "$M/llama-3.1-8b.json" --ctx 32x
  expect_rc 2
  expect_err "hwledger: --ctx needs a token count from 1 to 64M"
  expect_err "not '32x'"
  run "$HW" plan --model "$M/llama-3.1-8b.json" --gpu
  expect_rc 2
  expect_err "hwledger: --gpu needs a value"
}

# A project without plan checks (every new one) runs `plan check`: the
# message says what the folder is for and how to name another.
# Verifies: FR-PLAN-006
test_plan_check_without_its_folder_says_what_belongs_there() {
  run "$HW" plan check
  expect_rc 2
  expect_err "hwledger: planner/checks: no such directory (plan check runs the plan checks there, one *.json each"
  expect_err "hwledger plan check DIR)"
  run "$HW" plan check chks --json
  expect_rc 2
  expect_err "hwledger: chks: no such directory"
  [ -z "$OUT" ]
}

{{/* Names and labels, as `helm create` makes them. */}}
{{- define "legation.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "legation.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "legation.selectorLabels" -}}
app.kubernetes.io/name: {{ include "legation.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "legation.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "legation.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "legation.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "legation.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The Secret and key one setting comes from: the existing Secret named in values, else the chart's own.
Call with (dict "ctx" $ "from" .Values.database "value" .Values.database.url "key" "DATABASE_URL").
*/}}
{{- define "legation.secretRef" -}}
{{- if .from.existingSecret -}}
name: {{ .from.existingSecret }}
key: {{ .from.existingSecretKey | default .key }}
{{- else -}}
name: {{ include "legation.fullname" .ctx }}
key: {{ .key }}
{{- end -}}
{{- end }}

{{/* Whether a setting is given at all (an existing Secret or a value). */}}
{{- define "legation.hasSecret" -}}
{{- if or .from.existingSecret .value }}true{{ end -}}
{{- end }}

{{/* The settings the chart keeps in its own Secret: those given as values, not as existing Secrets. */}}
{{- define "legation.ownSecretData" -}}
{{- if and (not .Values.database.existingSecret) .Values.database.url }}
DATABASE_URL: {{ .Values.database.url | b64enc | quote }}
{{- end }}
{{- if and (not .Values.secretKey.existingSecret) .Values.secretKey.value }}
LEGATION_SECRET_KEY: {{ .Values.secretKey.value | b64enc | quote }}
{{- end }}
{{- if and (not .Values.bootstrapToken.existingSecret) .Values.bootstrapToken.value }}
LEGATION_BOOTSTRAP_TOKEN: {{ .Values.bootstrapToken.value | b64enc | quote }}
{{- end }}
{{- if and (not .Values.metrics.token.existingSecret) .Values.metrics.token.value }}
LEGATION_METRICS_TOKEN: {{ .Values.metrics.token.value | b64enc | quote }}
{{- end }}
{{- end }}

{{/* Required settings, checked before anything is rendered. */}}
{{- define "legation.validate" -}}
{{- if not (or .Values.database.existingSecret .Values.database.url) }}
{{- fail "legation: set database.existingSecret (a Secret holding DATABASE_URL) or database.url; replicas share one PostgreSQL" }}
{{- end }}
{{- if not (or .Values.secretKey.existingSecret .Values.secretKey.value) }}
{{- fail "legation: set secretKey.existingSecret (a Secret holding LEGATION_SECRET_KEY) or secretKey.value (`openssl rand -base64 32`); every replica needs the same key" }}
{{- end }}
{{- if and .Values.secretKey.value (ne (len (b64dec .Values.secretKey.value)) 32) }}
{{- fail "legation: secretKey.value must be the base64 of 32 bytes (`openssl rand -base64 32`)" }}
{{- end }}
{{- if and .Values.bootstrapToken.value (lt (len .Values.bootstrapToken.value) 32) }}
{{- fail "legation: bootstrapToken.value must have at least 32 characters" }}
{{- end }}
{{- if and .Values.metrics.token.value (lt (len .Values.metrics.token.value) 16) }}
{{- fail "legation: metrics.token.value must have at least 16 characters" }}
{{- end }}
{{- end }}
